"""Chinese second-generation ID-card readers speaking the SAM serial protocol.

``protocol`` frames and parses the bytes, ``card_text`` reads the card's 256-byte text block,
``reader`` is the driver on a link supervisor, ``simulator`` a reader on a pseudo-terminal.
"""
