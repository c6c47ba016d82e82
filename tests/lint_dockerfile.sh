#!/bin/sh
# The container recipe (packaging/docker/Dockerfile) linted with dockerfilelint from npm
# (installed with the browser tests' packages): there is no Docker here to build or run it.
# Exit 77 (skipped) when the linter is not installed, unless ITA_REQUIRE_BROWSER=1.
lint="$(dirname "$0")/e2e/node_modules/.bin/dockerfilelint"
if [ ! -x "$lint" ]; then
  echo "dockerfilelint is not installed (npm ci in tests/e2e)"
  [ "${ITA_REQUIRE_BROWSER:-0}" = 1 ] && exit 1
  exit 77
fi
exec "$lint" "$1"
