"""`python -m extract.cli`: the same as `govreport`."""
import sys

from extract.cli import main

sys.exit(main())
