"""``python -m layerfit`` runs the command-line tool."""

from layerfit.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
