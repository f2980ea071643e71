"""ESC/POS receipt printers: the bytes (escpos_bytes), the status replies (status), the driver
on a serial or network link (printer), and a wire-level simulator that turns the bytes back into
pictures of receipts (simulator, escpos_reader, receipt_picture)."""
