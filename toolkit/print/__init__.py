"""The print edition: :mod:`~toolkit.print.pdf` lays out the HTML of ``xslt/print/`` with
WeasyPrint into a tagged PDF, :mod:`~toolkit.print.mends` mends two faults of its layout."""
