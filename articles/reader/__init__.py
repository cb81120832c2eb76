"""What readers get: public views, feeds, sitemaps, search and the SEO metadata of pages."""
