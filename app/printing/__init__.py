"""Printing: slips and receipts as PDF (Hindi and English), with barcodes and QR codes.
The engine (pdf.py) is for any department; the print views read through services."""


def register(appbuilder):
    from . import chart_print, views
    appbuilder.add_view_no_menu(views.PrintView)
    appbuilder.add_view_no_menu(views.ReceiptPrintView)
    appbuilder.add_view_no_menu(views.DayEndPrintView)
    appbuilder.add_view_no_menu(views.AdmissionPrintView)
    appbuilder.add_view_no_menu(views.LabPrintView)
    appbuilder.add_view_no_menu(views.LabSampleLabelView)
    appbuilder.add_view_no_menu(views.LabReportPrintView)
    appbuilder.add_view_no_menu(views.SummaryPrintView)
    appbuilder.add_view_no_menu(views.DeathCertificatePrintView)
    appbuilder.add_view_no_menu(views.CensusPrintView)
    appbuilder.add_view_no_menu(views.HandoverPrintView)
    appbuilder.add_view_no_menu(views.ConsentPrintView)
    appbuilder.add_view_no_menu(views.DeparturePrintView)
    appbuilder.add_view_no_menu(chart_print.ChartPrintView)
