"""The account's receipts and invoices: its last payments made anywhere and the statement."""
