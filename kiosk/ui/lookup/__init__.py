"""Finding a resident's bill: account entry, choice of account, the bill, and their controller."""
