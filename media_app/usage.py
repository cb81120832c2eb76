"""Where is this image used? media_app knows nothing of the apps that use its images.

Apps register a provider at start-up (in their AppConfig.ready); the image admin lists what the
providers report, and refuses deletion while anything does.
"""

from dataclasses import dataclass

_providers = []


@dataclass(frozen=True)
class Usage:
    label: str  # e.g. "Lead image of “Storm over the harbour”"
    admin_url: str = ""  # where an editor can go to change it


def register_usage_provider(provider):
    """``provider(images)`` takes a list of Image objects and returns {image.pk: [Usage, ...]}.

    It must answer in a fixed number of queries, whatever the number of images.
    """
    if provider not in _providers:
        _providers.append(provider)
    return provider


def usages_for(images):
    """{image.pk: [Usage, ...]} gathered from every registered provider."""
    images = list(images)
    found = {image.pk: [] for image in images}
    for provider in _providers:
        for pk, usages in provider(images).items():
            found.setdefault(pk, []).extend(usages)
    return found
