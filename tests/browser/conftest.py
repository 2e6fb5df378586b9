"""Browser-test fixtures (defined in `browser_support`, shared with the page benchmark)."""

from browser_support import app_url, browser, mobile_page, page

__all__ = ["app_url", "browser", "mobile_page", "page"]
