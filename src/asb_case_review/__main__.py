"""``python -m asb_case_review``: the same as the ``asb-case-review`` command."""

from .cli import run

run()
