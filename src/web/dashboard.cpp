#include "web/app.hpp"

namespace ita::web {

void App::add_dashboard_routes() {}

}  // namespace ita::web
