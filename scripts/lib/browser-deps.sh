# What the headless-Chromium tests need, installed with apt-get when missing
# (as root; otherwise the caller's `fail` names what is missing). Sourced by
# scripts/report-browser-test.sh and scripts/serve-browser-test.sh.
#
#   install_browser_deps [EXTRA_PACKAGE:CHECK_COMMAND ...]
#
# Always: chromium, python3 and two font packages. Fonts: libfontconfig1
# pulls in *one* of several font packages and chromium-common only
# recommends fonts-liberation; ask for both explicitly so screenshots look
# the same on every machine (DejaVu for system-ui and sans-serif, Liberation
# for Arial). Each extra is a package and a shell command that succeeds when
# it is usable.

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

install_browser_deps() {
    local need=() extra package check
    command -v chromium >/dev/null 2>&1 || need+=(chromium)
    command -v python3 >/dev/null 2>&1 || need+=(python3)
    installed fonts-dejavu-core || need+=(fonts-dejavu-core)
    installed fonts-liberation || need+=(fonts-liberation)
    for extra in "$@"; do
        package="${extra%%:*}"
        check="${extra#*:}"
        bash -c "$check" >/dev/null 2>&1 || need+=("$package")
    done
    if ((${#need[@]})); then
        [ "$(id -u)" = 0 ] || fail "missing ${need[*]}; run as root (installs with apt-get) or install them"
        echo "== installing ${need[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    fi
    command -v chromium >/dev/null 2>&1 || fail "chromium is still missing after apt-get install"
}
