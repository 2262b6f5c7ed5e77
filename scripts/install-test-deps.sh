#!/bin/sh
# Install what the test suite needs: nqpf with its test extras, and Debian's chromium for the
# browser tests (Playwright drives it; no browser is downloaded). Run as root for apt-get;
# without root or apt-get, the browser tests are skipped and say why.
set -e
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 \
   && [ "$(id -u)" = "0" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
pip install '.[test]'
