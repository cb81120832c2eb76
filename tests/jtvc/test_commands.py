import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_local_admin_is_created_once_with_a_generated_password(settings, tmp_path, capsys):
    settings.DEBUG = True
    secret_file = tmp_path / "creds"
    call_command("ensure_local_admin", credentials_file=str(secret_file))
    printed = capsys.readouterr().out
    password = secret_file.read_text().split("password: ")[1].strip()
    assert password in printed
    assert get_user_model().objects.get(username="admin").check_password(password)
    assert oct(secret_file.stat().st_mode)[-3:] == "600"

    call_command("ensure_local_admin", credentials_file=str(secret_file))
    assert password not in capsys.readouterr().out  # shown only once
    assert get_user_model().objects.filter(username="admin").count() == 1


def test_local_admin_is_refused_in_production(settings, tmp_path):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("ensure_local_admin", credentials_file=str(tmp_path / "creds"))
    assert not get_user_model().objects.exists()
