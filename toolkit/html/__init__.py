"""The web edition: a document's page (:mod:`page`), the edition-wide pages (:mod:`site`), the
registers' data (:mod:`registers`), the search data (:mod:`search`) and the assets every page
uses (``assets/``); rendered by ``xslt/html/``."""
