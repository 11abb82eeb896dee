"""Page images of a document (its facsimile): what they are, and making them fit to publish.

The meaning is decided once, here, and every output obeys it: :mod:`.pages` reads which image
belongs to which page break (``pb/@facs`` as a URL, a relative path, a pointer to a
``surface`` or ``graphic``, or a bare identifier completed by ``facsimile_url``; a IIIF image
service or manifest) and which lines of the text point to which zones of a page. The rest
makes images publishable: :mod:`.images` turns local files into IIIF level-0 static tiles or
single web images (cached by content), :mod:`.remote` fetches remote ones at build time when
the configuration allows it, :mod:`.manifest` writes and checks IIIF Presentation 3
manifests. The web page's viewer (:mod:`toolkit.html.facsimile`) and the PDF's plates
(:mod:`toolkit.print.pdf`) use them.
"""
