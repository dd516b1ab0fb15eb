"""Run the command line as ``python -m appeal``."""

from appeal.cli import main

if __name__ == "__main__":
    main(prog_name="appeal")
