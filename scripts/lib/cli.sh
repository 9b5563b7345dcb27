# Sourced by the scripts in scripts/ (not run on its own): their usage and option checks, answered before anything
# is built or any AWS call is made.
#
# A script's usage is its own header: the comment lines right after the shebang, without the leading "# ".

# usage: prints the calling script's usage.
usage() {
  awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"
}

# usage_error MESSAGE: the message and the usage on stderr, then exit 2.
usage_error() {
  echo "$(basename "$0"): $1" >&2
  echo >&2
  usage >&2
  exit 2
}

# check_options "SPEC" "$@": SPEC lists the accepted options, separated by spaces; "--name=" takes a value, and
# the word ARGS allows arguments that are not options. --help (or -h) prints the usage and exits 0; anything
# else is a usage error (exit 2).
check_options() {
  local spec=" $1 "
  shift
  while [[ $# -gt 0 ]]; do
    case "$1" in
      -h|--help) usage; exit 0 ;;
      -*)
        if [[ "$spec" == *" $1= "* ]]; then
          [[ $# -ge 2 && "$2" != --* ]] || usage_error "$1 needs a value"
          shift 2
        elif [[ "$spec" == *" $1 "* ]]; then
          shift
        else
          usage_error "unknown option $1"
        fi ;;
      *)
        [[ "$spec" == *" ARGS "* ]] || usage_error "unexpected argument $1"
        shift ;;
    esac
  done
}
