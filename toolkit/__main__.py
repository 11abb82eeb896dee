"""Allow ``python -m toolkit``; an interrupt even while importing ends quietly (exit 130)."""

import sys

try:
    from toolkit.cli.main import main
except KeyboardInterrupt:  # pragma: no cover - Ctrl-C during start-up
    sys.stderr.write("teikit: interrupted\n")
    sys.exit(130)

if __name__ == "__main__":  # pragma: no cover - thin entry point
    try:
        main()
    except KeyboardInterrupt:
        sys.stderr.write("teikit: interrupted\n")
        sys.exit(130)
