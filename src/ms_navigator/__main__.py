"""Allow `python -m ms_navigator`."""

from ms_navigator.cli import program

program()
