"""Printing: slips and receipts as PDF (Hindi and English), with barcodes and QR codes."""
