"""The command line: each command is a module of its own (its help, its options, and one library
call whose result it prints); this one dispatches and turns failures into exit codes.
`govreport COMMAND --help` for each."""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from typing import Optional, Sequence

from extract import __version__
from extract.cli import (audit_cmd, batch_cmd, check_cmd, codebook_cmd, codes_cmd, correct_cmd, eval_cmd, export_cmd,
                         extract_cmd, forget_cmd, merge_cmd, review_cmd, serve_cmd, verify_cmd)
from extract.cli.common import EXIT_CODES, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_TERMINATED, EXIT_USAGE
from extract.errors import GovReportError, UsageError

COMMANDS = (extract_cmd, batch_cmd, review_cmd, correct_cmd, audit_cmd, check_cmd, export_cmd, merge_cmd, forget_cmd,
            eval_cmd, verify_cmd, codes_cmd, codebook_cmd, serve_cmd)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govreport", epilog=EXIT_CODES,
        description="Extract every table cell of 政府信息公开工作年度报告 into a verified dataset.")
    parser.add_argument("--version", action="version", version=f"govreport {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        p = sub.add_parser(command.NAME, help=command.SUMMARY, description=command.DESCRIPTION, epilog=EXIT_CODES)
        command.add_arguments(p)
        p.set_defaults(run=command.run)
    return parser


class Terminated(KeyboardInterrupt):
    """SIGTERM: stopped as for Ctrl-C (what is stored stays, the claims are released)."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    try:
        return args.run(args)
    except UsageError as exc:
        print(f"govreport {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except GovReportError as exc:
        print(f"govreport {args.command}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away; that is not an error of ours.
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt as exc:
        print(f"\n{'terminated' if isinstance(exc, Terminated) else 'interrupted'}; re-run the same command "
              "to resume", file=sys.stderr)
        return EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED
    except Exception as exc:  # a bug of ours: one line, and an exit code no script mistakes for another
        if os.environ.get("GOVREPORT_DEBUG"):
            raise
        what = " ".join(str(exc).split())[:300]
        print(f"govreport {args.command}: internal error ({type(exc).__name__}: {what}); please report it "
              "(GOVREPORT_DEBUG=1 shows where)", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
