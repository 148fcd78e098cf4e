"""``python -m saidwhat``: the same as the ``saidwhat`` command."""
from .cli import main

if __name__ == "__main__":
    main()
