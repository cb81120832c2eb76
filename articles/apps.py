from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Editorial"

    def ready(self):
        import reversion
        from taggit.models import TaggedItem

        from articles import cache
        from articles.models import Article, ArticleAuthor, Page
        from articles.usage import image_usages
        from media_app.usage import register_usage_provider

        # A revision holds the article with its byline and tags (M2M through rows).
        if not reversion.is_registered(Article):
            reversion.register(Article, follow=["bylines", "tagged_items"])
            reversion.register(ArticleAuthor)
            reversion.register(Page)
        if not reversion.is_registered(TaggedItem):
            reversion.register(TaggedItem, follow=["tag"])
            reversion.register(TaggedItem.tag.field.related_model)
        register_usage_provider(image_usages)
        # What readers see: changes to these models invalidate the caches after commit.
        cache.register()
        from articles import slugs

        slugs.connect_signals()
