#pragma once
// How a use case of src/service says no. Each error carries the message for the person who asked
// (Thai where a page shows it) and is mapped to a reply in one place: by the web in App::handle
// (NotFound 404, Invalid 422, Refused 409) and by the cli in cli::run ("ita: error: …", exit 2).
// The store's own refusals (store::Conflict) and the core's InputError keep their types.
#include <stdexcept>

namespace ita::service {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What the request names does not exist: an agency, an OIT item, a measure, a plan.
class NotFound : public Error {
 public:
  using Error::Error;
};

// The request's values break a rule: an unknown edition, a count out of range, bad answers.
class Invalid : public Error {
 public:
  using Error::Error;
};

// The request is well formed but the current state forbids it: a closed round, a plan that
// exists already, a result that cannot be computed yet.
class Refused : public Error {
 public:
  using Error::Error;
};

}  // namespace ita::service
