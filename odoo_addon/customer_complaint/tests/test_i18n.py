"""zh_CN translation of the module is complete and effective (issue #3)."""
