"""English strings of Wagtail 8 and wagtail-modeltranslation that their own Swedish
catalogues leave untranslated, shown on editors' and translators' screens.

Listed here only so that ``makemessages`` keeps them in locale/sv/LC_MESSAGES/django.po,
where they are translated: LOCALE_PATHS come before the packages' catalogues. The
JavaScript strings are in locale/sv/LC_MESSAGES/djangojs.po. Drop an entry once the
package's own Swedish catalogue has it. Only tests/test_admin_swedish.py imports it.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# Editing: autosave, other editors, side panels
EDITING = [
    gettext_noop("Saved"),
    gettext_noop("Autosave is paused"),
    gettext_noop("Autosave is <span>paused</span>"),
    gettext_noop("There are validation errors, click save to highlight them."),
    gettext_noop("Saving will overwrite a newer version."),
    gettext_noop("Cannot overwrite a revision that is not the latest for this %(model_name)s."),
    gettext_noop("Cannot overwrite a revision that was not created by the current user."),
    gettext_noop("You saved a new version in another window"),
    gettext_noop("%(user_name)s saved a new version"),
    gettext_noop("View latest version"),
    gettext_noop("%(user_name)s has unsaved changes"),
    gettext_noop("Currently idle"),
    gettext_noop("Currently viewing"),
    ngettext_lazy(
        "One other user is currently viewing", "%(num_user)s other users are currently viewing", 2
    ),
    gettext_noop("Proceeding will overwrite the changes you made in that window."),
    gettext_noop("Proceeding will overwrite the changes made by %(user_name)s."),
    gettext_noop("Alternatively, you can view the latest version in a new tab."),
    gettext_noop("A network error occurred"),
    gettext_noop(
        "Troubleshoot your connection to the site before proceeding. Open the editor in a separate tab to view the last saved version."
    ),
    gettext_noop("System"),
    gettext_noop("Minimap"),
    gettext_noop("Side panels"),
    gettext_noop("Side panel width"),
    gettext_noop("Actions (footer)"),
    gettext_noop("Show issue"),
    gettext_noop("Compare"),
    gettext_noop("Preview for %(block_label)s (%(block_type)s)"),
    gettext_noop("%(field_label)s:"),
    gettext_noop("%(related_model_name)s %(field_label)s"),
    gettext_noop("Sort item order"),
    gettext_noop(
        "Focus on the drag button and press up or down arrows to move the item, then press enter to submit the change."
    ),
    gettext_noop("The page could not be saved as it is locked."),
    gettext_noop("The %(model_name)s could not be saved as it is locked"),
    gettext_noop(
        "You are viewing a previous version of this %(model_name)s from <b>%(created_at)s</b> by %(user)s"
    ),
    gettext_noop("%(model_name)s '%(object)s' has been replaced with version from %(timestamp)s."),
    gettext_noop("Placeholder title"),
    gettext_noop("Edit account avatar"),
    gettext_noop("account"),
    gettext_noop(
        "Keyboard shortcuts are currently disabled; manage your %(account_link)s to enable them."
    ),
    gettext_noop("View / edit fields for"),
    gettext_noop("Page '{0}' and {1} subpages copied."),
    gettext_noop("Page '{0}' copied."),
    gettext_noop("This slug is already in use"),
    gettext_noop('This slug is already in use within the context of its parent page "%s"'),
    gettext_noop(
        "The slug '%(page_slug)s' is already in use at the selected parent page. Make sure the slug is unique and try again."
    ),
    gettext_noop("Request to create %(model_name)s was blocked by hook."),
    gettext_noop("Request to edit %(model_name)s was blocked by hook."),
]

# Scheduling and publishing
SCHEDULING = [
    gettext_noop("Once scheduled:"),
    gettext_noop("Go-live:"),
    gettext_noop("Expiry:"),
    gettext_noop("Invalid schedule"),
    gettext_noop("To be created by %(user)s"),
    gettext_noop("Choose when this %(model_name)s should go live and/or expire"),
    gettext_noop("Anyone with editing permissions can create schedules"),
    gettext_noop("But only those with publishing permissions can make them effective."),
    gettext_noop("%(model_name)s '%(object)s' has been scheduled for publishing."),
    gettext_noop("%(model_name)s '%(object)s' created and scheduled for publishing."),
    gettext_noop(
        "%(model_name)s '%(object)s' is live and this version has been scheduled for publishing."
    ),
    gettext_noop("%(model_name)s '%(object)s' updated and published."),
    gettext_noop("%(model_name)s '%(object)s' created and published."),
    gettext_noop("%(model_name)s '%(object)s' has been submitted for moderation."),
    gettext_noop("%(model_name)s '%(object)s' created and submitted for moderation."),
    gettext_noop("Workflow on %(model_name)s '%(object)s' has been cancelled."),
    gettext_noop("%(model_name)s scheduled for publishing at %(go_live_at)s"),
    gettext_noop("%(model_name)s scheduled for publishing"),
    gettext_noop("%(model_name)s unscheduled for publishing at %(go_live_at)s"),
    gettext_noop("%(model_name)s unscheduled from publishing"),
    gettext_noop('You do not have permission to publish pages at "%(page_title)s"'),
    gettext_noop("Removed the '%(restriction)s' view restriction. The page is public."),
    gettext_noop("Privacy is inherited from the ancestor page - %(ancestor_page)s"),
    gettext_noop("Changing the privacy for this page has been disabled."),
]

# Page explorer and listings
LISTINGS = [
    gettext_noop("Exploring"),
    gettext_noop("%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s"),
    gettext_noop(
        "%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s across entire site."
    ),
    gettext_noop(
        "%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s in '<span class=\"w-title-ellipsis\">%(title)s</span>'."
    ),
    gettext_noop("There are no %(model_name)s to display."),
    gettext_noop(
        'There are no %(model_name)s to display. Why not <a href="%(add_url)s">add one</a>?'
    ),
    gettext_noop("Create a new %(model_name)s"),
    gettext_noop("Date updated"),
    gettext_noop("any"),
    gettext_noop("Anyone"),
    gettext_noop("Locked by"),
    gettext_noop("Page/Snippet Type"),
    gettext_noop("Disable custom ordering"),
    gettext_noop("Enable custom ordering"),
    gettext_noop("The filter options you have selected are not valid."),
    gettext_noop("'%(page_title)s' has been moved successfully."),
    ngettext_lazy(
        "This action will delete <b>%(total_pages_formatted)s</b> page in total.",
        "This action will delete <b>%(total_pages_formatted)s</b> pages in total.",
        2,
    ),
    gettext_noop("%(parent_pages)s and %(child_pages)s have been deleted"),
    ngettext_lazy(
        "%(num_parent_objects)d page has been deleted",
        "%(num_parent_objects)d pages have been deleted",
        2,
    ),
    ngettext_lazy("%(num_parent_objects)d page", "%(num_parent_objects)d pages", 2),
    ngettext_lazy("%(num_child_objects)d child page", "%(num_child_objects)d child pages", 2),
    gettext_noop("%(parent_pages)s and %(child_pages)s have been published"),
    ngettext_lazy(
        "%(num_parent_objects)d page has been published",
        "%(num_parent_objects)d pages have been published",
        2,
    ),
    gettext_noop("%(parent_pages)s and %(child_pages)s have been unpublished"),
    ngettext_lazy(
        "%(num_parent_objects)d page has been unpublished",
        "%(num_parent_objects)d pages have been unpublished",
        2,
    ),
    gettext_noop("One or more references to this %(model_name)s prevent it from being deleted."),
    gettext_noop("will be set to the default %(model_name)s"),
    gettext_noop("will do nothing"),
    gettext_noop("may prevent deletion"),
    gettext_noop("will be set to a %(model_name)s specified by the system"),
    gettext_noop("will unset the reference"),
    gettext_noop("%(num_pages)d pages and %(num_others)d others"),
    ngettext_lazy("%(num_pages)d page", "%(num_pages)d pages", 2),
    gettext_noop("unknown number"),
    gettext_noop("%(classname)s object (%(id)s)"),
    gettext_noop("- Select an option -"),
]

# Checks panel (accessibility and content checks)
CHECKS = [
    gettext_noop("Button text is empty"),
    gettext_noop("Use meaningful text for screen reader users"),
    gettext_noop("Empty heading found"),
    gettext_noop("Table header text is empty"),
    gettext_noop("Empty frame title found"),
    gettext_noop("Use a meaningful title for screen reader users"),
    gettext_noop("Incorrect heading hierarchy"),
    gettext_noop("Avoid skipping levels"),
    gettext_noop("Input button text is empty"),
    gettext_noop("Link text is empty"),
    gettext_noop("Misusing paragraphs as headings"),
    gettext_noop("Use proper heading tags"),
    gettext_noop("Image alt text has inappropriate pattern"),
    gettext_noop("Use meaningful text"),
    gettext_noop("Meta description is empty"),
    gettext_noop("Add a concise description for search engines"),
]

# Images, documents, users and settings
MEDIA_USERS_AND_SETTINGS = [
    gettext_noop("Maximum filesize: %(max_upload_size)s."),
    ngettext_lazy("%(size)d byte", "%(size)d bytes", 2),
    gettext_noop("%s KB"),
    gettext_noop("%s MB"),
    gettext_noop("%s GB"),
    gettext_noop("%s TB"),
    gettext_noop("%s PB"),
    gettext_noop("%(model)s permissions"),
    gettext_noop("group site permission"),
    gettext_noop("group site permissions"),
    gettext_noop("API token"),
    gettext_noop("API tokens"),
    gettext_noop("A human-readable label to identify this token."),
    gettext_noop("created"),
    gettext_noop("revoked at"),
    gettext_noop("last used at"),
    gettext_noop("Token"),
    gettext_noop("Create API token"),
    gettext_noop("API token created"),
    gettext_noop(
        'The token "%(name)s" has been created, copy it now, it will never be shown again.'
    ),
    gettext_noop("Copy token"),
    gettext_noop("Copying failed — please select and copy the token manually."),
    gettext_noop("Back to API tokens"),
    gettext_noop("Revoke"),
    gettext_noop("Revoked"),
    gettext_noop("Revoke API token"),
    gettext_noop("Are you sure you want to revoke this API token?"),
    gettext_noop("Yes, revoke"),
    gettext_noop("No, don't revoke"),
    gettext_noop("API token '%(name)s' revoked."),
    gettext_noop("API token revoked"),
    gettext_noop("Last used"),
    gettext_noop("Never"),
]

WAGTAIL_STRINGS = [*EDITING, *SCHEDULING, *LISTINGS, *CHECKS, *MEDIA_USERS_AND_SETTINGS]
