"""The logged-in user, read from the cache instead of the database on every request.

Django's AuthenticationMiddleware asks the session's backend for the user on each request, and the
role check then reads the user's groups: two queries before a page does anything. Both backends
the portal logs in with (ModelBackend below, portal.oidc.OIDCBackend) read the user through
cached_user(), which keeps the user with its role (portal.roles.role_of) in the cache. Any save or
deletion of the user and any change to their groups deletes the entry (signals, connected in
PortalConfig.ready), now and again when the transaction commits, so a deactivated user, a new role
or a new password (the session hash) counts from the next request.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.cache import cache
from django.db import transaction

from portal.roles import role_of

KEY = "portal:user:{}"
# A safety net: every change deletes the entry at once, unless Redis could not be reached then
# (portal.redis_cache); such an entry lives at most this long.
TIMEOUT = 10 * 60


def cached_user(user_id, load):
    """The user `load(user_id)` returns (None if there is none), with its role, from the cache when there."""
    key = KEY.format(user_id)
    user = cache.get(key)
    if user is None:
        user = load(user_id)
        if user is None:
            return None
        role_of(user)  # kept on the object, so it is cached with it
        cache.set(key, user, TIMEOUT)
    return user


class ModelBackend(DjangoModelBackend):
    """Django's password backend, reading the logged-in user through the cache."""

    def get_user(self, user_id):
        user = cached_user(user_id, lambda pk: get_user_model()._default_manager.filter(pk=pk).first())
        return user if user is not None and self.user_can_authenticate(user) else None


def forget(*user_ids) -> None:
    keys = [KEY.format(pk) for pk in user_ids]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))  # a request may have cached the old row


def _saved_or_deleted(sender, instance, **kwargs):
    forget(instance.pk)


def _groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:  # user.groups.add(...), .remove(...), .set(...), .clear()
        if action.startswith("post_"):
            forget(instance.pk)
    elif action == "pre_clear":  # group.user_set.clear(): the users are known before, not after
        forget(*instance.user_set.values_list("pk", flat=True))
    elif action.startswith("post_") and pk_set:
        forget(*pk_set)


def connect() -> None:
    """Called once from PortalConfig.ready."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    user_model = get_user_model()
    post_save.connect(_saved_or_deleted, sender=user_model, dispatch_uid="portal-user-cache-save")
    post_delete.connect(_saved_or_deleted, sender=user_model, dispatch_uid="portal-user-cache-delete")
    m2m_changed.connect(_groups_changed, sender=user_model.groups.through, dispatch_uid="portal-user-cache-groups")
