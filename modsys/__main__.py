"""`python -m modsys`: the same as the `modsys` command."""

from modsys.cli import main

if __name__ == "__main__":
    main()
