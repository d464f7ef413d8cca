# A data-only bridge: the dashboard is data/dashboards.xml and its spreadsheet file.
