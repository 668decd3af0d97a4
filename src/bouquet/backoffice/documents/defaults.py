"""The texts shipped with Bouquet; staff may replace each one (``DocumentTemplate``).

Markup, one block per paragraph (blank line between blocks):
``# Titre`` a heading, ``- texte`` a bullet, ``Libellé :: valeur`` a row of a two-column table;
a single line break stays a line break.
"""

from bouquet.backoffice.choices import DocumentKind

__all__ = ["DEFAULT_TEMPLATES"]

AMENDMENT_REQUEST = """\
{collectivite_nom}
SIREN {collectivite_siren}

{prefecture_nom}
{prefecture_adresse}

Le {date_du_jour}

# Objet : demande d'avenant à la convention de télétransmission des actes soumis au contrôle de légalité

Madame la Préfète, Monsieur le Préfet,

Par une convention signée le {convention_date} (référence {convention_reference}), \
{collectivite_nom} transmet ses actes soumis au contrôle de légalité par voie électronique.

{collectivite_nom} est adhérente de {operateur_nom}, opérateur de mutualisation, qui met désormais à sa \
disposition un nouveau dispositif de télétransmission. J'ai l'honneur de vous demander d'établir un avenant \
à notre convention afin d'y inscrire :

- le dispositif de télétransmission {dispositif_nom}, homologué par la {homologation_reference} \
du {homologation_date} ;
- l'opérateur de transmission {operateur_transmission}, selon le contrat du {contrat_transmission_date} ;
- l'opérateur de mutualisation {operateur_nom} ({operateur_nature_juridique}).

Les réponses au formulaire de la préfecture, jointes à ce courrier, reprennent ces informations.

Je vous prie d'agréer, Madame la Préfète, Monsieur le Préfet, l'expression de ma haute considération.

Le maire, la présidente ou le président
(nom, signature et cachet)
"""

FORM_ANSWERS = """\
# Collectivité

Nom :: {collectivite_nom}
SIREN :: {collectivite_siren}
Nature :: {collectivite_nature}
Département et arrondissement :: {collectivite_departement}, arrondissement {collectivite_arrondissement}

# Dispositif de télétransmission

Nom du dispositif :: {dispositif_nom}
Référence de l'homologation :: {homologation_reference}
Date de l'homologation :: {homologation_date}

# Opérateur de transmission

Opérateur de transmission :: {operateur_transmission}
Date du contrat :: {contrat_transmission_date}

# Article « Opérateur de mutualisation »

Nom :: {operateur_nom}
Nature juridique :: {operateur_nature_juridique}
Adresse postale :: {operateur_adresse}
Téléphone :: {operateur_telephone}
Courriel :: {operateur_courriel}
"""

PROCEDURE = """\
# Pourquoi un avenant ?

Votre convention avec la préfecture nomme le dispositif qui transmet vos actes. {operateur_nom} vous fait \
désormais utiliser {dispositif_nom}, exploité par {operateur_transmission} : la préfecture doit l'inscrire \
dans votre convention par un avenant.

# Les étapes

- Étape 1 : relisez la lettre de demande d'avenant, complétez-la si besoin, puis faites-la signer \
par le maire ou le président.
- Étape 2 : joignez-y les réponses au formulaire de la préfecture, déjà remplies.
- Étape 3 : envoyez les deux documents à la {prefecture_nom}, par courrier ou par courriel.
- Étape 4 : dès que la préfecture vous renvoie l'avenant signé, transmettez-en une copie à {operateur_nom} : \
nous l'enregistrons dans votre dossier.

# Besoin d'aide ?

{operateur_nom}
Téléphone : {operateur_telephone}
Courriel : {operateur_courriel}
"""

KIT_EMAIL = """\
Bonjour,

Vous trouverez ci-joint le kit de convention de {collectivite_nom} :

- la lettre de demande d'avenant à adresser à la {prefecture_nom} ;
- les réponses au formulaire de la préfecture ;
- une procédure d'une page qui explique les étapes.

Ces documents sont remplis avec les informations que nous connaissons ; vérifiez-les avant de les envoyer.

Pour toute question : {operateur_telephone} ou {operateur_courriel}.

Bien cordialement,
L'équipe de {operateur_nom}
"""

#: kind → (title, body). The e-mail's title is its subject.
DEFAULT_TEMPLATES: dict[str, tuple[str, str]] = {
    DocumentKind.AMENDMENT_REQUEST: (
        "Demande d'avenant à la convention de télétransmission",
        AMENDMENT_REQUEST,
    ),
    DocumentKind.FORM_ANSWERS: (
        "Réponses au formulaire de la préfecture : télétransmission des actes",
        FORM_ANSWERS,
    ),
    DocumentKind.PROCEDURE: ("Procédure : mettre à jour votre convention ACTES", PROCEDURE),
    DocumentKind.KIT_EMAIL: ("Kit de convention ACTES : {collectivite_nom}", KIT_EMAIL),
}
