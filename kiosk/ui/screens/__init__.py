"""The pages of the resident's screen, one module each."""
