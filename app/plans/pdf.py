"""Status reports as PDF: the report's own HTML (with its inline SVG charts) through WeasyPrint."""
from pathlib import Path

PRINT_STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "plans-print.css"


def report_pdf(html: str) -> bytes:
    """Render a report page to PDF; the stylesheet is read from disk, nothing is fetched."""
    # Imported here: WeasyPrint loads Pango when imported, which only PDF requests need.
    from weasyprint import CSS, HTML

    return HTML(string=html, url_fetcher=_refuse).write_pdf(stylesheets=[CSS(filename=str(PRINT_STYLESHEET))])


def _refuse(url: str, *args, **kwargs):
    raise ValueError(f"a status report fetches nothing ({url})")
