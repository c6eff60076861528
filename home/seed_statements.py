"""The accessibility statement and the page on personal data and cookies.

The statement follows the structure Myndigheten för digital förvaltning (Digg) gives
for the law on accessibility to digital public services (lag (2018:1937) om
tillgänglighet till digital offentlig service): how accessible the site is, what to do
when something cannot be used, how to report a problem, supervision, the technical
information, the content that is not accessible and how the site was tested. It
claims only what the project can show: the browser tests run axe-core on every page
type and test the keyboard (tests/browser/). The date it was last updated is the
page's last publication, shown at the foot of every standard page.

The privacy page says what the portal stores (see the settings: django-axes keeps
failed logins only, until their cool-off ends; Django's session cookie for editors)
and that readers get no cookie, hence no consent banner.

Both pages are chosen in the portal settings (footer links) when no page is chosen yet.
"""

from django.conf import settings as django_settings
from wagtail.models import Site

from portal.models import PortalSettings
from portal.seed import add_page

from .models import StandardPage

# A placeholder on a reserved domain (RFC 2606): the operator sets the real address in
# the portal settings and in these two pages.
DEMO_CONTACT_EMAIL = "kontakt@flemingsberg.example"
DIGG_URL = "https://www.digg.se/"
DIGG_REPORT_URL = "https://www.digg.se/tdosanmalan"
IMY_URL = "https://www.imy.se/"


def seed(home):
    site = Site.objects.filter(root_page=home).first() or Site.objects.get(is_default_site=True)
    portal_settings = PortalSettings.for_site(site)
    if not portal_settings.contact_email:
        portal_settings.contact_email = DEMO_CONTACT_EMAIL
        portal_settings.save()
    email = portal_settings.contact_email
    names = {
        "sv": portal_settings.site_name_sv or portal_settings.site_name,
        "en": portal_settings.site_name_en or portal_settings.site_name,
    }
    accessibility = add_page(home, accessibility_statement(names, email))
    privacy = add_page(home, privacy_page(names, email))
    changed = False
    if portal_settings.accessibility_page_id is None:
        portal_settings.accessibility_page = accessibility
        changed = True
    if portal_settings.privacy_page_id is None:
        portal_settings.privacy_page = privacy
        changed = True
    if changed:
        portal_settings.save()


def heading(text, level="h2"):
    return ("heading", {"text": text, "level": level})


def paragraph(html):
    return ("paragraph", html)


def mail_link(email):
    return f'<a href="mailto:{email}">{email}</a>'


def accessibility_statement(names, email):
    sv, en = names["sv"], names["en"]
    mail = mail_link(email)
    return StandardPage(
        title_sv="Tillgänglighetsredogörelse",
        title_en="Accessibility statement",
        slug_sv="tillganglighetsredogorelse",
        slug_en="accessibility-statement",
        show_in_menus=False,
        lead_sv=(
            f"Vi vill att så många som möjligt ska kunna använda {sv}. Här beskriver vi hur "
            "webbplatsen uppfyller lagen om tillgänglighet till digital offentlig service, "
            "vilka brister vi känner till och hur du meddelar oss om problem."
        ),
        lead_en=(
            f"We want as many people as possible to be able to use {en}. This statement "
            "describes how the website meets the Swedish law on accessibility to digital "
            "public services, the problems we know of and how to tell us about others."
        ),
        body_sv=[
            paragraph(
                f"<p>Det här är tillgänglighetsredogörelsen för {sv}. Den beskriver hur webbplatsen uppfyller lagen (2018:1937) om tillgänglighet till "
                "digital offentlig service, vilka kända tillgänglighetsproblem som finns och "
                "hur du kan rapportera brister till oss så att vi kan åtgärda dem.</p>"
            ),
            heading("Hur tillgänglig är webbplatsen?"),
            paragraph(
                "<p>Vi vet att delar av webbplatsen inte är helt tillgängliga. Se avsnittet "
                "om innehåll som inte är tillgängligt längre ned på sidan.</p>"
            ),
            heading("Vad kan du göra om du inte kan använda delar av webbplatsen?"),
            paragraph(
                "<p>Om du behöver innehåll från webbplatsen i ett annat format, till exempel "
                "ett dokument som ditt hjälpmedel inte kan läsa eller en textversion av en "
                f"video, kan du kontakta oss via e-post: {mail}.</p>"
            ),
            heading("Rapportera brister i webbplatsens tillgänglighet"),
            paragraph(
                "<p>Vi strävar hela tiden efter att göra webbplatsen mer tillgänglig. "
                "Kontakta oss om du upptäcker brister som inte beskrivs på den här sidan, "
                "eller om du anser att vi inte uppfyller lagens krav, så att vi får veta att "
                f"problemet finns. Skriv till {mail} och berätta gärna vilken sida det gäller "
                "och vilken webbläsare och vilka hjälpmedel du använder.</p>"
            ),
            heading("Tillsyn"),
            paragraph(
                "<p>Myndigheten för digital förvaltning (Digg) har ansvaret för tillsyn över "
                "lagen om tillgänglighet till digital offentlig service. Om du inte är nöjd med "
                "hur vi hanterar dina synpunkter kan du kontakta Digg och påpeka det: "
                f'<a href="{DIGG_REPORT_URL}">anmäl bristande tillgänglighet på Diggs '
                f'webbplats</a>. Mer om lagen finns på <a href="{DIGG_URL}">digg.se</a>.</p>'
            ),
            heading("Teknisk information om webbplatsens tillgänglighet"),
            paragraph(
                "<p>Webbplatsen är delvis förenlig med lagen om tillgänglighet till digital "
                "offentlig service, på grund av de brister som beskrivs nedan. Lagens krav "
                "motsvarar för webbplatser nivå AA i Web Content Accessibility Guidelines "
                "(WCAG) 2.1.</p>"
            ),
            heading("Innehåll som inte är tillgängligt"),
            heading("Bristande förenlighet med lagkraven", "h3"),
            paragraph(
                "<ul>"
                "<li>Inbäddade videor. En video från YouTube eller Vimeo visas i den tjänstens "
                "egen spelare, som vi inte kan anpassa. Videor kan sakna undertexter, "
                "syntolkning eller textversion (WCAG 1.2.2, 1.2.3 och 1.2.5).</li>"
                "<li>Dokument att ladda ned. PDF-filer och andra dokument laddas upp av "
                "redaktörerna och kontrolleras inte automatiskt. De kan sakna rubrikstruktur, "
                "textalternativ till bilder eller rätt läsordning (bland annat WCAG 1.1.1 och "
                "1.3.1). Kontakta oss om du behöver innehållet i ett annat format.</li>"
                "<li>Redaktörernas texter och bilder. En bild i sidornas innehåll kan inte "
                "sparas utan alternativtext om den inte markeras som dekorativ, men hur väl "
                "alternativtexter, rubriker och länktexter beskriver innehållet granskas inte "
                "automatiskt (WCAG 1.1.1, 2.4.4 och 2.4.6).</li>"
                "</ul>"
            ),
            heading("Innehåll som inte omfattas av lagstiftningen", "h3"),
            paragraph(
                "<p>Lagen gäller inte dokument i kontorsformat, till exempel PDF-filer, som "
                "publicerades före den 23 september 2018, förinspelad video som publicerades "
                "före den 23 september 2020, eller innehåll från tredje part som vi varken "
                "finansierar, utvecklar eller har kontroll över. Kontakta oss om du behöver "
                "sådant innehåll i en tillgänglig form.</p>"
            ),
            heading("Hur vi testat webbplatsen"),
            paragraph(
                "<p>Vi har gjort en självskattning (intern testning) av webbplatsen. "
                "Webbplatsens automatiska tester, som hör till dess programkod, kontrollerar "
                "att</p>"
                "<ul>"
                "<li>verktyget axe inte hittar några allvarliga eller kritiska brister mot "
                "WCAG 2.1 nivå A och AA på någon sidtyp, på svenska och engelska, i mobil- och "
                "datorbredd, och inte heller på sökresultat och felsidor</li>"
                "<li>länken som hoppar till huvudinnehållet, språkväljaren och huvudmenyn går "
                "att använda med tangentbord och att tangentbordsfokus syns.</li>"
                "</ul>"
                "<p>Automatiska tester hittar bara en del av alla tillgänglighetsbrister. "
                "Webbplatsen har ännu inte granskats manuellt mot alla kriterier, av en extern "
                "granskare eller tillsammans med personer som använder hjälpmedel.</p>"
                "<p>Datumet då redogörelsen senast uppdaterades står längst ned på sidan.</p>"
            ),
        ],
        body_en=[
            paragraph(
                f"<p>This is the accessibility statement for {en}. It describes how the website meets the Swedish law on accessibility to "
                "digital public services (lag (2018:1937) om tillgänglighet till digital "
                "offentlig service), the accessibility problems we know of, and how you can "
                "report problems to us so that we can fix them.</p>"
            ),
            heading("How accessible is this website?"),
            paragraph(
                "<p>We know that some parts of the website are not fully accessible. See the "
                "section on content that is not accessible further down this page.</p>"
            ),
            heading("What can you do if you cannot use parts of the website?"),
            paragraph(
                "<p>If you need content from the website in another format, for example a "
                "document your assistive technology cannot read or a text version of a video, "
                f"please contact us by e-mail: {mail}.</p>"
            ),
            heading("Reporting accessibility problems"),
            paragraph(
                "<p>We are always working to make the website more accessible. If you find "
                "problems that are not described on this page, or think that we do not meet "
                f"the requirements of the law, please let us know at {mail}. It helps if you "
                "tell us which page it is and which browser and assistive technology you "
                "use.</p>"
            ),
            heading("Enforcement procedure"),
            paragraph(
                "<p>The Agency for Digital Government (Myndigheten för digital förvaltning, "
                "Digg) is responsible for enforcing the law on accessibility to digital public "
                "services. If you are not satisfied with how we handle your comments, you can "
                f'tell Digg: <a href="{DIGG_REPORT_URL}">report a lack of accessibility on '
                f'Digg\'s website</a> (in Swedish). More about the law is on <a href="{DIGG_URL}">'
                "digg.se</a>.</p>"
            ),
            heading("Technical information about the website's accessibility"),
            paragraph(
                "<p>This website is partially compliant with the law on accessibility to "
                "digital public services, because of the shortcomings described below. For "
                "websites, the law's requirements correspond to level AA of the Web Content "
                "Accessibility Guidelines (WCAG) 2.1.</p>"
            ),
            heading("Content that is not accessible"),
            heading("Non-compliance with the law", "h3"),
            paragraph(
                "<ul>"
                "<li>Embedded videos. A video from YouTube or Vimeo plays in that service's "
                "own player, which we cannot adapt. Videos may lack captions, audio "
                "description or a text version (WCAG 1.2.2, 1.2.3 and 1.2.5).</li>"
                "<li>Documents to download. PDF files and other documents are uploaded by the "
                "editors and are not checked automatically. They may lack a heading "
                "structure, text alternatives for images or the right reading order (among "
                "others WCAG 1.1.1 and 1.3.1). Contact us if you need the content in another "
                "format.</li>"
                "<li>Editors' texts and images. An image in a page's content cannot be saved "
                "without alternative text unless it is marked as decorative, but how well "
                "alternative texts, headings and link texts describe the content is not "
                "checked automatically (WCAG 1.1.1, 2.4.4 and 2.4.6).</li>"
                "</ul>"
            ),
            heading("Content that is not within the scope of the law", "h3"),
            paragraph(
                "<p>The law does not apply to office documents, such as PDF files, published "
                "before 23 September 2018, to pre-recorded video published before 23 September "
                "2020, or to third-party content that we neither fund, develop nor control. "
                "Contact us if you need such content in an accessible form.</p>"
            ),
            heading("How we tested this website"),
            paragraph(
                "<p>We have assessed the website ourselves (internal testing). The website's "
                "automated tests, which are part of its source code, check that</p>"
                "<ul>"
                "<li>the axe tool finds no serious or critical violations of WCAG 2.1 levels A "
                "and AA on any type of page, in Swedish and English, at phone and desktop "
                "widths, nor on search results and error pages</li>"
                "<li>the link that skips to the main content, the language switcher and the "
                "main menu can be used with a keyboard, and that keyboard focus is "
                "visible.</li>"
                "</ul>"
                "<p>Automated tests find only some accessibility problems. The website has not "
                "yet been reviewed manually against every criterion, by an external auditor, "
                "or together with people who use assistive technology.</p>"
                "<p>The date this statement was last updated is shown at the foot of the "
                "page.</p>"
            ),
        ],
    )


def privacy_page(names, email):
    sv, en = names["sv"], names["en"]
    mail = mail_link(email)
    cool_off = int(django_settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    limit = django_settings.AXES_FAILURE_LIMIT
    return StandardPage(
        title_sv="Personuppgifter och kakor",
        title_en="Privacy and cookies",
        slug_sv="personuppgifter-och-kakor",
        slug_en="privacy-and-cookies",
        show_in_menus=False,
        lead_sv=(
            f"{sv} sätter inga kakor när du läser webbplatsen och samlar inte in uppgifter om "
            "dig för statistik eller marknadsföring. Här beskriver vi vilka personuppgifter som "
            "ändå behandlas, varför och hur länge."
        ),
        lead_en=(
            f"{en} sets no cookies while you read the website and collects no information "
            "about you for statistics or marketing. This page describes what personal data is "
            "processed all the same, why and for how long."
        ),
        body_sv=[
            heading("Kakor (cookies)"),
            paragraph(
                "<p>En kaka är en liten textfil som en webbplats sparar i din webbläsare. "
                "Webbplatsen sätter inga kakor när du läser sidorna, söker eller prenumererar på "
                "nyhetsflöden. Därför behöver vi inte be om ditt samtycke, och webbplatsen "
                "visar ingen ruta om kakor. Webbplatsen använder inga analysverktyg, annonser "
                "eller typsnitt och skript från andra webbplatser.</p>"
                "<p>Kakor används bara i de här fallen:</p>"
                "<ul>"
                "<li>När en redaktör loggar in i publiceringsverktyget sätts en sessionskaka "
                "(sessionid) som håller redaktören inloggad tills hen loggar ut, dock högst "
                "två veckor. Publiceringsverktyget sätter också en kaka som skyddar formulären "
                "mot förfalskade anrop (csrftoken), en för tillfälliga meddelanden och en som "
                "minns om menyn är hopfälld.</li>"
                "<li>Om du öppnar en sida som är skyddad med lösenord sätts en kaka som skyddar "
                "lösenordsformuläret, och när du anger rätt lösenord en sessionskaka som minns "
                "det.</li>"
                "<li>En sida kan innehålla en video från YouTube eller Vimeo. Spelaren hämtas då "
                "från den tjänsten, som kan se din IP-adress och sätta egna kakor enligt sina "
                "villkor.</li>"
                "</ul>"
            ),
            heading("Vilka personuppgifter behandlas?"),
            paragraph(
                "<ul>"
                "<li>Redaktörernas konton: namn, användarnamn, e-postadress, lösenord (som "
                "inte sparas i klartext) och senaste inloggning, och vem som har skapat och ändrat vilka sidor. "
                "Uppgifterna finns kvar så länge kontot finns.</li>"
                "<li>Misslyckade inloggningar: för att stoppa den som försöker gissa lösenord "
                "sparas för varje misslyckat försök att logga in, eller att ange lösenordet till "
                "en skyddad sida eller ett skyddat dokument, det användarnamn som angavs, "
                "IP-adressen, uppgifter om webbläsaren, adressen till sidan och tidpunkten. "
                f"Efter {limit} misslyckade försök spärras kombinationen av användarnamn och "
                f"IP-adress i {cool_off} minuter. Uppgifterna raderas när inloggningen lyckas "
                "eller vid nästa inloggningsförsök efter att spärrtiden har gått ut. Lyckade "
                "inloggningar sparas inte.</li>"
                "<li>Serverns loggar: webbservern skriver en rad för varje anrop med IP-adress, "
                "tidpunkt, efterfrågad adress, svarskod, föregående sida och webbläsarens namn "
                "och version. Loggarna behövs för drift och säkerhet och används inte för att "
                "följa enskilda besökare. Hur länge de sparas bestäms av driftmiljön; kontakta "
                "oss om du vill veta mer.</li>"
                "<li>E-post till oss: om du skriver till oss använder vi din e-postadress och "
                "det du skriver för att svara dig.</li>"
                "</ul>"
                "<p>Vi behandlar uppgifterna för att webbplatsen ska fungera och vara säker. Vi "
                "lämnar inte ut dem till andra, om inte lagen kräver det.</p>"
            ),
            heading("Vem är ansvarig?"),
            paragraph(
                f"<p>Organisationen bakom {sv} är personuppgiftsansvarig. Kontakta oss på "
                f"{mail} om du har frågor om hur vi behandlar personuppgifter.</p>"
            ),
            heading("Dina rättigheter"),
            paragraph(
                "<p>Enligt EU:s dataskyddsförordning (GDPR) har du rätt att få veta vilka "
                "personuppgifter vi behandlar om dig (registerutdrag), att få felaktiga "
                "uppgifter rättade, att få uppgifter raderade eller behandlingen begränsad och "
                f"att invända mot behandlingen. Skriv till {mail}.</p>"
                "<p>Om du anser att vi behandlar dina personuppgifter felaktigt kan du lämna "
                "ett klagomål till tillsynsmyndigheten, Integritetsskyddsmyndigheten "
                f'(<a href="{IMY_URL}">IMY</a>).</p>'
            ),
        ],
        body_en=[
            heading("Cookies"),
            paragraph(
                "<p>A cookie is a small text file that a website stores in your browser. This "
                "website sets no cookies while you read its pages, search or subscribe to its "
                "feeds. That is why we do not need to ask for your consent, and why the website "
                "shows no cookie banner. The website uses no analytics, advertising, or fonts "
                "and scripts from other websites.</p>"
                "<p>Cookies are used only in these cases:</p>"
                "<ul>"
                "<li>When an editor logs in to the publishing tool, a session cookie "
                "(sessionid) keeps them logged in until they log out, for two weeks at most. "
                "The publishing tool also sets a cookie that protects its forms against forged "
                "requests (csrftoken), one for short-lived messages and one that remembers "
                "whether the menu is collapsed.</li>"
                "<li>If you open a page protected by a password, a cookie protects the "
                "password form, and once you enter the right password a session cookie "
                "remembers it.</li>"
                "<li>A page may contain a video from YouTube or Vimeo. The player is then "
                "loaded from that service, which can see your IP address and set its own "
                "cookies under its own terms.</li>"
                "</ul>"
            ),
            heading("What personal data is processed?"),
            paragraph(
                "<ul>"
                "<li>Editors' accounts: name, user name, e-mail address, password (not "
                "stored in plain text) and last login, and who created and changed which pages. This is kept "
                "for as long as the account exists.</li>"
                "<li>Failed logins: to stop anyone guessing passwords, each failed attempt to "
                "log in, or to enter the password of a protected page or document, records the "
                "user name given, the IP address, details of the browser, the page's address "
                f"and the time. After {limit} failed attempts, that user name and IP address "
                f"are locked out for {cool_off} minutes. The records are deleted when the login "
                "succeeds, or at the next login attempt after the lock-out has ended. "
                "Successful logins are not recorded.</li>"
                "<li>Server logs: the web server writes a line for each request with the IP "
                "address, the time, the address requested, the response code, the referring "
                "page and the browser's name and version. The logs are needed for operation "
                "and security and are not used to follow individual visitors. How long they "
                "are kept depends on the hosting environment; contact us to find out more.</li>"
                "<li>E-mail to us: if you write to us, we use your e-mail address and what you "
                "write to answer you.</li>"
                "</ul>"
                "<p>We process this data so that the website works and stays secure. We do not "
                "pass it on to others unless the law requires it.</p>"
            ),
            heading("Who is responsible?"),
            paragraph(
                f"<p>The organisation behind {en} is the data controller. Contact us at {mail} "
                "if you have questions about how we process personal data.</p>"
            ),
            heading("Your rights"),
            paragraph(
                "<p>Under the EU General Data Protection Regulation (GDPR) you have the right "
                "to know what personal data we process about you, to have incorrect data "
                "corrected, to have data erased or its processing restricted, and to object to "
                f"the processing. Write to {mail}.</p>"
                "<p>If you think we process your personal data wrongly, you can complain to "
                "the supervisory authority, the Swedish Authority for Privacy Protection "
                f'(Integritetsskyddsmyndigheten, <a href="{IMY_URL}">IMY</a>).</p>'
            ),
        ],
    )
