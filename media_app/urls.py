from django.urls import path

from media_app import views

app_name = "media_app"

urlpatterns = [
    path("editor-upload/", views.editor_upload, name="editor_upload"),
]
