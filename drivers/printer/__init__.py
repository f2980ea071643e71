"""ESC/POS receipt printers: the bytes (escpos_bytes), the status replies (status), the driver
on a serial, network or USB link (printer; the USB transport in usb_link), and a wire-level
simulator on a pty or a TCP port that turns the bytes back into pictures of receipts (simulator,
sim_lines, escpos_reader, receipt_picture)."""
