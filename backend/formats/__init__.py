"""Date and time formats for the site's languages (settings.FORMAT_MODULE_PATH), where Django's
own differ from what a reader expects: English dates written out, as the Chinese ones are."""
