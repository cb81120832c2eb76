from datetime import timedelta

import pytest

from articles.newsroom.preview import article_id_from_token, make_preview_token
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_preview_token_names_its_article():
    article = make_article(status="draft")
    assert article_id_from_token(make_preview_token(article)) == article.pk


def test_a_tampered_token_is_refused():
    token = make_preview_token(make_article(status="draft"))
    assert article_id_from_token(token[:-2] + "xx") is None
    assert article_id_from_token("not-a-token") is None


def test_an_expired_token_is_refused():
    token = make_preview_token(make_article(status="draft"))
    assert article_id_from_token(token, max_age=timedelta(seconds=-1)) is None
