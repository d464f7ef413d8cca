"""Statistics (SPEC §5 satisfaction, §7 统计分析), in three parts:

* `figures`: the rules. Records, periods, the figures of a group, the monthly
  table, the summary, the satisfaction rate. No file and no format.
* `io`: reading an export (CSV or JSON) into records and writing records as
  a JSON export, the only file I/O.
* `render`: a table or a summary as text, CSV, JSON or HTML.

Every public name is importable from ``complaint_core.stats`` itself.
"""

from .figures import (
    GROUPINGS,
    NONE_KEY,
    PROCESS_LINKS,
    ComplaintRecord,
    Figures,
    OnTime,
    StatsTable,
    Summary,
    is_dissatisfied,
    month_bounds,
    monthly_table,
    percentile,
    period_table,
    satisfaction_rate,
    summary,
)
from .io import COLUMNS, read_records, record_to_dict, records_to_json, write_records
from .render import (
    FORMATS,
    SUMMARY_TITLE_EN,
    SUMMARY_TITLE_ZH,
    TITLE_EN,
    TITLE_ZH,
    render,
)

__all__ = [
    "FORMATS",
    "GROUPINGS",
    "PROCESS_LINKS",
    "ComplaintRecord",
    "Figures",
    "OnTime",
    "StatsTable",
    "Summary",
    "is_dissatisfied",
    "month_bounds",
    "monthly_table",
    "percentile",
    "period_table",
    "read_records",
    "record_to_dict",
    "records_to_json",
    "render",
    "satisfaction_rate",
    "summary",
    "write_records",
]
