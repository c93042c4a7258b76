"""govreport: turn scraped 政府信息公开工作年度报告 into verified table data."""

__version__ = "0.1.0"  # the package's version (pyproject.toml reads it from here)

from extract.compiled import check_fresh

check_fresh()
