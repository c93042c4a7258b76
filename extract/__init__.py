"""govreport: turn scraped 政府信息公开工作年度报告 into verified table data."""

from extract.compiled import check_fresh

check_fresh()
