"""Browser tour: a sales rep logs a complaint from the customer's form (issue #3)."""
