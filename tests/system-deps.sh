#!/bin/sh
# The system programs the tests run for real, installed from Debian's packages when missing:
# redis-server (the hub's tests start their own on a free loopback port) and chromium (ccmon
# serve's page is tested in a real headless browser, driven by playwright; never
# `playwright install`: the tests launch /usr/bin/chromium).
# Used by .ci/run and by the README's test command; needs root or sudo only to install.
set -eu
missing=""
command -v redis-server >/dev/null 2>&1 || missing="$missing redis-server"
[ -x /usr/bin/chromium ] || missing="$missing chromium"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then as_root=""; else as_root="sudo"; fi
echo "installing:$missing" >&2
$as_root apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq $missing >/dev/null
