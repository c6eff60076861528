"""The "Translators" group: who may download the site's text as a content PO file and
upload it translated in the admin (Translate content).

What its members may do, and why:

* enter the admin (``wagtailadmin.access_admin``);
* edit and publish every page (from the tree's root), and no more: a translator brings
  a page's other language up to date and puts it live, but adds, moves and deletes no
  pages, so the site's structure stays the editors'. An administrator who wants each
  translation checked before it goes live removes "publish" from the group: uploads
  are then saved as drafts for editors to publish;
* change the translated snippets (topics, venues) and the site settings, whose texts
  are in the same file (changing the settings lets them change the others too).
"""

from django.db import migrations

GROUP = "Translators"
PAGE_PERMISSIONS = ["change_page", "publish_page"]
# (app label, model, codename) of the snippets and settings whose text is translated.
MODEL_PERMISSIONS = [
    ("stories", "topic", "change_topic"),
    ("events", "venue", "change_venue"),
    ("portal", "portalsettings", "change_portalsettings"),
]


def permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
    # Django creates the permissions after the migrations; the ones needed here, now.
    found, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": f"Can {codename.split('_', 1)[0]} {model}"},
    )
    return found


def create_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        permission(apps, "wagtailadmin", "admin", "access_admin"),
        *(permission(apps, *spec) for spec in MODEL_PERMISSIONS),
    )
    root = Page.objects.filter(depth=1).first()
    if root is None:
        return
    for codename in PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=root,
            permission=permission(apps, "wagtailcore", "page", codename),
        )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0010_content_po_exports_and_uploads"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
