"""The demo FAQ: our own answers to the questions members ask the operator most often.

(theme, question, answer) in markdown-lite; the figures are the demo operator's (a 50 € yearly
fee on the procurement platform for small communes, a 1 000 € "dotation socle"…), not rules.
"""

from bouquet.support.choices import Theme

T, M, C, S, A = Theme.TELETRANSMISSION, Theme.MARCHES, Theme.CERTIFICATS, Theme.AUTRES_SERVICES, Theme.AIDES

ENTRIES: list[tuple[str, str, str]] = [
    (
        T,
        "Notre convention avec la préfecture est-elle encore valable avec le nouvel opérateur ?",
        "La convention que vous avez signée avec la préfecture nomme le dispositif de télétransmission "
        "et l'opérateur qui le met en œuvre. Quand l'un des deux change, il faut un **avenant**.\n\n"
        "Nous préparons tout pour vous : la lettre de demande d'avenant, les réponses au formulaire de la "
        "préfecture et une fiche de procédure d'une page. Il vous reste à les signer et à les envoyer.\n\n"
        "- tant que l'avenant n'est pas signé, l'envoi des actes par la plateforme reste bloqué ;\n"
        "- le suivi de l'avenant (à préparer, envoyé, signé) est visible par l'équipe de l'opérateur.",
    ),
    (
        T,
        "Quel dispositif de télétransmission la plateforme utilise-t-elle ?",
        "Les actes partent par **S²LOW**, un dispositif homologué par le ministère de l'Intérieur "
        "(convention d'homologation du 22 janvier 2007 entre le ministère et l'ADULLACT), exploité par "
        "Libriciel dans le cadre d'un contrat du 31 août 2023.\n\n"
        "Ce sont ces références que la préfecture vous demande dans le formulaire de l'avenant : elles y "
        "sont déjà remplies.",
    ),
    (
        T,
        "Retrouverons-nous les actes envoyés avec l'ancien opérateur ?",
        "Oui. L'historique de vos transmissions (actes, accusés de réception, flux comptables et leurs "
        "acquittements) est repris dans la plateforme. Ces éléments sont marqués « importés » : vous les "
        "consultez et les recherchez comme les autres, mais vous ne pouvez plus les modifier.",
    ),
    (
        T,
        "Qui peut préparer et qui peut envoyer les actes dans notre collectivité ?",
        "Chaque compte a deux droits distincts sur les actes :\n\n"
        "- **préparer** (saisir l'acte, joindre les documents) ;\n"
        "- **télétransmettre** (l'envoyer à la préfecture), ce qui demande en plus une connexion avec "
        "un certificat RGS**.\n\n"
        "L'administrateur de votre collectivité attribue ces droits. Un élu peut n'avoir qu'un accès en "
        "consultation.",
    ),
    (
        T,
        "Au bout de combien de temps reçoit-on l'accusé de réception de la préfecture ?",
        "En général quelques minutes après l'envoi. Les actes peuvent partir à toute heure, mais les "
        "accusés de réception sont produits les jours ouvrés.\n\n"
        "Sans accusé de réception après une demi-journée, écrivez-nous : nous surveillons aussi les "
        "transmissions en attente de notre côté.",
    ),
    (
        T,
        "Comment annuler un acte envoyé par erreur ?",
        "Ouvrez l'acte : une fois l'accusé de réception reçu, le bouton « Annuler la transmission » "
        "apparaît. La préfecture confirme l'annulation par un nouvel accusé de réception. "
        "L'annulation est **définitive** : pour corriger un acte, il faut ensuite en envoyer un nouveau.",
    ),
    (
        T,
        "Que faut-il pour envoyer nos flux comptables (PES) à la trésorerie ?",
        "Le module Hélios transmet vos fichiers PES (titres, mandats, bordereaux) à la DGFiP et vous "
        "rend les acquittements.\n\n"
        "Avant le premier envoi, demandez à votre trésorerie votre **site destinataire** et "
        "communiquez-le-nous : sans lui, rien ne peut partir.",
    ),
    (
        M,
        "Combien coûte l'accès à la plateforme des marchés publics ?",
        "L'accès fait partie d'une cotisation annuelle fixée selon la nature et la population de la "
        "collectivité : par exemple **50 € par an** pour une petite commune. Il n'y a pas de droit "
        "d'entrée ni de frais à l'acte.",
    ),
    (
        M,
        "Comment publier une consultation ?",
        "Depuis le module Marchés publics, créez la consultation, joignez le dossier (règlement, cahier "
        "des charges…) et choisissez les dates. La consultation est alors visible des entreprises sur "
        "la partie publique de la plateforme, qui reçoit aussi leurs offres de façon sécurisée.\n\n"
        "Une formation « Publier une consultation » a lieu régulièrement : voyez le planning.",
    ),
    (
        M,
        "Les entreprises doivent-elles créer un compte pour répondre ?",
        "Les entreprises consultent les avis et le dossier librement. Pour déposer une offre, elles "
        "s'identifient afin que leur dépôt soit horodaté et que vous puissiez leur écrire pendant la "
        "consultation.",
    ),
    (
        C,
        "Pourquoi nous faut-il un certificat électronique RGS** ?",
        "La télétransmission d'un acte engage la collectivité : la préfecture exige que la personne qui "
        "envoie soit identifiée de façon sûre. Le certificat RGS**, sur clé USB ou carte à puce, sert à "
        "cette identification. Il est **personnel** : il est établi au nom d'un agent ou d'un élu.",
    ),
    (
        C,
        "Notre certificat expire bientôt : que devons-nous faire ?",
        "La plateforme vous prévient par courriel 90, 30 puis 7 jours avant l'expiration. Commandez le "
        "renouvellement dès la première alerte : la délivrance d'un nouveau certificat prend souvent "
        "plusieurs semaines.\n\n"
        "Une fois le nouveau certificat reçu, connectez-vous une première fois avec lui : il est "
        "rattaché à votre compte.",
    ),
    (
        C,
        "Une secrétaire qui travaille pour plusieurs communes a-t-elle besoin de plusieurs certificats ?",
        "Non. Le certificat est lié à la personne, pas à la commune. Avec un seul certificat, elle "
        "choisit pour quelle collectivité elle travaille grâce au sélecteur en haut de l'écran.",
    ),
    (
        C,
        "Le navigateur ne propose pas notre certificat : que vérifier ?",
        "- la clé ou la carte est-elle bien branchée, et son logiciel installé ?\n"
        "- le certificat est-il encore valide (date d'expiration) ?\n"
        "- essayez un autre navigateur, puis redémarrez l'ordinateur.\n\n"
        "Si cela ne suffit pas, appelez l'assistance en gardant l'écran d'erreur sous les yeux.",
    ),
    (
        S,
        "Comment demander un nouveau service (adresses e-mail, kit RGPD, site internet…) ?",
        "Rendez-vous dans **Accompagnement › Services à la demande** et cliquez sur « Nous sommes "
        "intéressés ». Chaque service ouvre quand assez de collectivités l'ont demandé ; vous voyez où "
        "en est le compte. Le jour de l'ouverture, vous êtes prévenu par courriel. Vous pouvez retirer "
        "votre demande tant que le service n'est pas ouvert.",
    ),
    (
        S,
        "Comment se déroulent les formations ?",
        "Les formations se font en **petits groupes de 10 personnes au plus**, le plus souvent en ligne, "
        "le mardi ou le vendredi après-midi. Inscrivez-vous (ou inscrivez un collègue) depuis "
        "**Accompagnement › Formations** ; vous recevez la confirmation et l'invitation pour votre "
        "agenda.\n\n"
        "Si la session est complète, vous passez en liste d'attente : dès qu'une place se libère, vous "
        "êtes inscrit automatiquement et prévenu par courriel.",
    ),
    (
        S,
        "Comment joindre l'assistance ?",
        "Par écrit, depuis **Accompagnement › Demandes d'assistance** : vous suivez la réponse au même "
        "endroit et la recevez par courriel. Par téléphone, aux heures d'ouverture de l'opérateur.\n\n"
        "Pour aller vite, ayez sous la main le nom de votre collectivité, le numéro de l'acte ou du flux "
        "concerné et le message d'erreur exact.",
    ),
    (
        S,
        "Nous travaillons pour plusieurs collectivités : faut-il plusieurs comptes ?",
        "Non. Un même compte peut être rattaché à plusieurs collectivités, avec des droits différents "
        "dans chacune. Le sélecteur « Collectivité » en haut de l'écran indique pour laquelle vous "
        "travaillez.",
    ),
    (
        A,
        "Existe-t-il une aide pour les petites communes qui se dématérialisent ?",
        "Oui : une **dotation socle de 1 000 €** est prévue pour les communes de moins de 5 000 habitants "
        "qui poursuivent la dématérialisation (télétransmission, marchés publics, certificats…). "
        "Elle n'a pas besoin d'être demandée : l'opérateur établit la liste des communes éligibles.",
    ),
    (
        A,
        "Comment savoir si notre commune a reçu l'aide ?",
        "L'équipe de l'opérateur tient la liste des communes éligibles, des montants versés et des dates "
        "de versement. Posez la question par une demande d'assistance (thème « Aides ») : nous vous "
        "répondons avec la date et le montant.",
    ),
    (
        A,
        "Les formations et l'assistance sont-elles facturées en plus de l'adhésion ?",
        "Non. Les formations, les réponses écrites et l'assistance téléphonique sont comprises dans "
        "l'adhésion. Seuls certains services à la demande, une fois ouverts, pourront faire l'objet "
        "d'un tarif, annoncé avant toute souscription.",
    ),
]
