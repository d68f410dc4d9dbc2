# Sourced by the install scripts: runs a command as root (directly, or through sudo -n).
as_root() {
    if [[ "$(id -u)" -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -n "$@"
    else
        echo "$(basename "$0" .sh): need root to run: $*" >&2
        return 1
    fi
}
