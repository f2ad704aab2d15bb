"""Offline sentiment of customer texts: plain text in, plain values out.

Every text a customer writes (a complaint's description, a reply on a
complaint, a survey comment) gets a score from -1 (very unhappy) to 1, the
words that drove it and an alert flag for the clearly unhappy. Nothing is
downloaded, nothing leaves the machine: English reads the general lexicon
shipped inside the ``vaderSentiment`` wheel (MIT), Chinese reads the lexicon
of this module; both add the trade lexicons below (delays, damage, losses,
claims, anger, threats to leave, compensation demands).

How a text is read:

* language: ``zh`` when CJK characters weigh at least a third of the Latin
  letters of the text (a Chinese character carries about a word), else
  ``en``;
* terms: the longest lexicon term at each place (Chinese: plain substring
  match, no segmentation; English: words and phrases), each with a valence
  on VADER's scale (-4 to 4);
* negation (不, 没, 没有, 未, not, no, never, n't...) just before a term, within
  a short window, flips it: a negated positive word turns negative at half
  its weight, a negated negative word turns mildly positive ("not damaged",
  "没有破损" are no damage), a negated threat, anger or compensation term no
  longer counts as one ("we will not switch provider");
* intensifiers (非常, 太, 极其, very, extremely...) before a term multiply it,
  downtoners (有点, 稍微, a bit, slightly...) halve it; a word in CAPITALS
  in a text that is not all capitals weighs 1.5 times; exclamation marks
  (!!, ！！) make a negative text more negative;
* contrast (but, however, 但是, 不过...): what follows weighs 1.5 times, what
  precedes half ("a bit late but everything arrived fine");
* score: the sum s of the weighted valences, squashed as VADER does:
  ``s / sqrt(s * s + 15)``, rounded to 3 decimals.

Alert (clearly unhappy): a threat to leave or to escalate (switch provider,
cancel the contract, lawyer, 12315, 投诉到...) in a text whose score is below
zero, or a score at or below ``ALERT_THRESHOLD`` with at least one anger term
or compensation demand. A plain inquiry, thanks, or a mild dissatisfaction
without anger, threat or demand never alerts.

Beyond single words the alert reads: escalation to regulators, lawyers, the
press, social media, reviews or the bank; indirect leaving (not renewing,
last shipment, reconsidering; "evaluating our carriers" counts only next to a
complaint); cost shifting and refused payment ("you'll be covering the
cost", 由你们承担, 不付了), weighing ``DEMAND_VALENCE``; sarcasm (great job,
brilliant, 太棒了, 真厉害... next to an unnegated failure that is repeated or
mocked, and no fix praised; a praise word in scare quotes); rhetorical anger
and contempt (are you kidding, 耍人, 摆设, "a kid could do better than this",
蜗牛都比你们快); shouting (sentences in CAPITALS with a problem or ?? / !!).

Where the lexicons raise no alert, a statistical model has the last word: a
logistic regression per language over the text's n-grams (Chinese
characters and runs of 2 and 3; English words, word pairs and runs of 3 to 5
letters), trained by ``scripts/train-sentiment-model`` on the labelled
messages of ``tests/data`` and shipped as ``sentiment_model.json`` (weights
only: no library, no download). Its probability at or above the language's
threshold (chosen by cross-validation for precision) raises the alert, and
its strongest n-grams found in the text join the drivers. It catches what
word lists miss: formal claims (特此函告, "per clause 9.2 we request..."),
understated leaving ("I don't see us renewing"), sarcasm without trade words.

Only the first ``MAX_CHARS`` characters of a text are read.
"""

import itertools
import json
import math
import re
from pathlib import Path
from typing import NamedTuple

MAX_CHARS = 5000  # longer texts are cut: the work stays bounded
MAX_DRIVERS = 8
ALERT_THRESHOLD = -0.4
STRONG_THRESHOLD = -0.75  # this unhappy is clearly unhappy, whatever the words
SQUASH_ALPHA = 15.0  # VADER's normalisation constant
ZH_SHARE = 1 / 3  # CJK characters per Latin letter from which a text reads as Chinese
MODEL_PATH = Path(__file__).with_name("sentiment_model.json")
MODEL_DRIVERS = 3  # the model's strongest n-grams added to the drivers of an alert only it raised

# Weights (VADER's scale) of the terms of the trade lexicons.
THREAT_VALENCE = -3.0
ANGER_VALENCE = -3.0
COMPENSATION_VALENCE = -1.0
DEMAND_VALENCE = -2.0  # "you will cover the cost", "由你们承担": the demand is the message

NEGATION_SCALAR = -0.5  # a negated term turns over at half its weight
NEGATION_WINDOW = {"en": 3, "zh": 3}  # words (en) or characters (zh) between the negator and the term
MODIFIER_WINDOW = {"en": 2, "zh": 2}
CONTRAST_BEFORE, CONTRAST_AFTER = 0.5, 1.5
CAPS_FACTOR = 1.5
EXCLAMATION_STEP = 0.3  # added to a negative sum per "!" (up to 4)


class Sentiment(NamedTuple):
    score: float  # -1 (very unhappy) to 1
    alert: bool  # clearly unhappy
    language: str  # "zh" or "en"
    drivers: tuple  # the words and phrases that drove the score, strongest first


NEUTRAL = {"zh": Sentiment(0.0, False, "zh", ()), "en": Sentiment(0.0, False, "en", ())}

# --------------------------------------------------------------------------- English lexicons

# Trade words: delays, damage, losses, claims and billing disputes (they
# override VADER's valence of the same word).
EN_TRADE = {
    "late": -1.5,
    "later": -0.5,
    "delay": -1.5,
    "delays": -1.5,
    "delayed": -1.5,
    "overdue": -1.5,
    "stuck": -1.5,
    "damage": -2.0,
    "damaged": -2.0,
    "broken": -2.0,
    "broke": -1.5,
    "crushed": -2.0,
    "smashed": -2.5,
    "dented": -1.0,
    "torn": -1.5,
    "scratched": -1.5,
    "wet": -1.0,
    "soaked": -2.0,
    "spoiled": -2.0,
    "ruined": -2.5,
    "destroyed": -2.5,
    "collapsed": -2.0,
    "leaking": -1.5,
    "lost": -2.0,
    "missing": -1.5,
    "stolen": -2.5,
    "wrong": -1.5,
    "missed": -1.5,
    "failed": -1.5,
    "failures": -2.0,
    "overcharge": -2.0,
    "overcharged": -2.0,
    "errors": -1.5,
    "error": -1.0,
    # VADER words that mean something else in the trade
    "please": 0.0,  # politeness, not sentiment ("please reimburse")
    "po": 0.0,  # purchase order, PO box
    "cut": 0.0,  # cut-off time
    "dangerous": 0.0,  # dangerous goods
    "hazardous": 0.0,
    "pay": 0.0,
    "paid": 0.0,
    "charges": 0.0,
    "charge": 0.0,
    "fee": 0.0,
    "fees": 0.0,
    "free": 0.0,  # free port, free time, duty free
    "demand": 0.0,  # (forecast) demand
    "claim": 0.0,  # a claim is the process, the demand is in EN_COMPENSATION
    "cracked": -2.0,
    "ripped": -1.5,
    "shattered": -2.5,
    "punctured": -1.5,
    "bent": -1.0,
    "scuffed": -0.8,
    "leaked": -1.5,
    "melted": -2.0,
    "thawed": -1.5,
    "rotten": -2.5,
    "mouldy": -2.0,
    "moldy": -2.0,
    "vanished": -2.0,
    "disappeared": -2.0,
    "misplaced": -1.5,
    "mislabeled": -1.5,
    "mislabelled": -1.5,
    "misdelivered": -2.0,
    "undelivered": -1.5,
    "inconvenient": -1.0,
    "excuses": -1.5,
    "mistake": -1.5,
    "mistakes": -1.5,
    "unbelievable": -1.5,  # VADER reads it as praise; customers rarely do
    "unprofessional": -2.5,
    "still hasn't": -1.5,
    "still haven't": -1.5,
    "still no": -1.5,
    "still waiting": -1.5,
    "every single": -0.5,
    "chipped": -1.5,
    "horrendous": -3.0,
    "empty": -1.0,
    "fined": -1.5,
    "a fine": -1.5,
    "pieces": -0.5,
    "ignored": -1.5,
    "refuses": -1.5,
    "refuse": -1.0,
    "zero": -0.5,
    "lies": -2.5,
    "liars": -3.0,
    "fault": -1.5,
    "safely": 1.5,
    "intact": 1.5,
    "on time": 1.5,
    "perfect condition": 2.5,
    "good condition": 2.0,
    "well protected": 2.0,
    "as planned": 1.0,
    "charged twice": -2.0,
    "never arrived": -2.5,
    "never showed up": -2.5,
    "not delivered": -2.0,
    "still nothing": -2.0,
    "still not": -1.5,
    "hung up": -2.0,
    "no answer": -1.5,
    "no parcel": -2.0,
    "no callbacks": -1.5,
    "no tracking": -1.5,
    "hidden fees": -2.0,
    # failures of service and care
    "losing": -2.0,
    "loses": -2.0,
    "breaking": -1.5,
    "breaks": -1.5,
    "damaging": -2.0,
    "ruining": -2.5,
    "wasted": -1.5,
    "careless": -2.5,
    "carelessness": -2.5,
    "negligence": -2.5,
    "negligent": -2.5,
    "mishandled": -2.0,
    "mishandling": -2.0,
    "mess": -1.5,
    "fiasco": -2.5,
    "chaos": -2.0,
    "excuse": -1.0,
    "unreliable": -2.0,
    "unanswered": -1.5,
    "supposed to": -1.0,
    "nobody answers": -2.0,
    "nobody answered": -2.0,
    "nobody answering": -2.0,
    "nobody replies": -2.0,
    "nobody responds": -2.0,
    "nobody calls": -1.5,
    "nobody shows up": -2.0,
    "no one answers": -2.0,
    "no one replies": -2.0,
    "no reply": -1.5,
    "no replies": -1.5,
    "no response": -1.5,
    "zero replies": -2.0,
    "zero response": -2.0,
    "no one cares": -2.0,
    "nobody cares": -2.0,
    "still sitting": -1.5,
    # sincerity adverbs: no praise ("honestly, ..." opens many complaints)
    "honestly": 0.0,
    "frankly": 0.0,
    "sincerely": 0.0,
}

EN_ANGER = (
    "furious",
    "angry",
    "outraged",
    "outrageous",
    "disgusted",
    "disgusting",
    "disgraceful",
    "unacceptable",
    "ridiculous",
    "pathetic",
    "useless",
    "incompetent",
    "incompetence",
    "worst",
    "terrible",
    "awful",
    "horrible",
    "shocking",
    "appalling",
    "a joke",
    "scam",
    "fraud",
    "rude",
    "aggressive",
    "sick of",
    "fed up",
    "enough is enough",
    "how hard is it",
    "stop ignoring",
    "you people",
    "fed up with",
    "devastated",
    "robbery",
    "disgrace",
    "shambles",
    "nonsense",
    "rubbish",
    "garbage",
    "clowns",
    "liars",
    "lying",
    "cheated",
    "scammed",
    "fuming",
    "livid",
    "appalled",
    "appalling service",
    "infuriating",
    "insulting",
    "disrespectful",
    "unprofessional",
    "had it with",
    "sick and tired",
    "swore at",
    "fed up",
    "rip-off",
    "ripoff",
    "ripped off",
    "laughed at",
    "shouted at",
    "yelled at",
    # rhetorical anger and contempt
    "thanks for nothing",
    "are you kidding",
    "you kidding me",
    "you're kidding",
    "you must be joking",
    "what is wrong with you",
    "what's wrong with you",
    "what is wrong with your",
    "what's wrong with your",
    "is this a joke",
    "is this some kind of joke",
    "what a joke",
    "absolute joke",
    "how many times",
    "how is this acceptable",
    "how is that acceptable",
    "do you even",
    "does anyone even",
    "does anybody even",
    "is anyone there",
    "is anyone even",
    "anyone home",
    "what the hell",
    "what the heck",
    "wtf",
    "for god's sake",
    "for crying out loud",
    "couldn't care less",
    "waste of time",
    "waste of money",
    "amateurs",
    "amateur hour",
    "clueless",
    "hopeless",
    "beyond belief",
    "beyond a joke",
    "sort it out",
    "why on earth",
    "how on earth",
    "what on earth",
    "unreal",
    "blew it",
    "beyond frustrating",
    "last straw",
    "the final straw",
)

_PROVIDER = r"(?:partner|provider|carrier|courier|forwarder|supplier|company|3pl)"
_CONTRACT = r"(?:contract|agreement|account|subscription|partnership)"
_NEW_ONE = r"(?:another|a new|a different|a better|your competitor|\w+ instead)"
_MEDIA = (
    r"(?:linkedin|twitter|x|facebook|instagram|tiktok|youtube|reddit|trustpilot|yelp|google|glassdoor|"
    r"social media|social|the press|the media|the news|forums?|industry forums?|our blog|(?:every|"
    r"all) (?:the )?(?:forums|groups))"
)
_REGULATOR = (
    r"(?:fmc|fmcsa|ftc|bbb|federal maritime commission|department of transport(?:ation)?|dot|"
    r"attorney general|the authorities|customs authorit(?:y|ies)|chamber of commerce|postal regulator|"
    r"competition authority|port authority|(?:\w+ )?authorit(?:y|ies)|regulators?|trading standards|ombudsman|"
    r"consumer (?:protection|association|council|rights)\w*)"
)

# Threats to leave or to escalate outside the company (regular expressions).
EN_THREAT = (
    r"take (?:our|my) business elsewhere",
    r"(?:switch|switching|move|moving|change|changing) (?:\w+ ){0,3}to " + _NEW_ONE,
    r"(?:switch|switching|change|changing) (?:providers?|carriers?|couriers?|suppliers?)",
    r"(?:move|moving|take|taking) (?:our|my|all our) (?:freight|business|shipments|volume|account) (?:to|elsewhere)",
    r"(?:cancel|cancelling|canceling|terminate|terminating|end|ending) (?:the|our|my|this) " + _CONTRACT,
    r"(?:close|closing) (?:our|my|the) account",
    r"(?:we|i) (?:will )?terminate",
    r"(?:looking|look|searching) for (?:a |an )?(?:new|another|different|other) (?:\w+ )?" + _PROVIDER,
    r"never again",
    r"never (?:use|using|ship with|order from) (?:you|your \w+|this \w+) again",
    r"(?:the )?last time (?:we|i) (?:use|ship|order|work)",
    r"(?:stop|stopping) using (?:you|your)",
    r"(?:do not|don't|never) use this (?:company|courier|service|carrier)",
    r"(?:i'm|i am|we're|we are) (?:done|finished) (?:with|using) (?:you|your)",
    r"tender (?:the|our) (?:contract|business|volume)",
    r"other (?:forwarders|carriers|providers|couriers|suppliers)",
    r"lawyers?|solicitors?|attorneys?|lawsuit|small claims|arbitration|ombudsman|regulator|trading standards",
    r"(?:signed|signing|sign|gone|going|went) with (?:a |another )?(?:new |different |other )?" + _PROVIDER,
    r"(?:or|and) (?:we|i) (?:walk|leave|go elsewhere)",
    r"walk away",
    r"(?:go|going|look|looking|shop|shopping) elsewhere",
    r"(?:whether|if) (?:to|we should|we will) (?:keep|continue|stay)",
    r"reconsider\w*",
    r"(?:pull|pulling|withdraw|withdrawing) (?:our|all our|my) (?:business|freight|volume|goods|stock)",
    r"your competitors?",
    r"legal (?:action|team|department|proceedings|steps|advice)",
    r"(?:not|won't|will not) (?:be )?renew(?:ing)?",
    r"(?:in|to) court",
    r"\bsue\b",
    r"(?:to|call) the police",
    r"consumer (?:protection|association|council|rights)",
    r"better business bureau",
    r"(?:report|reporting) (?:you|this) to",
    r"seek(?:ing)? damages",
    r"dispute (?:it|this|the charge) with (?:my|our) bank|disputing (?:it|this|the charge) with (?:my|our) bank",
    r"chargeback",
    # escalation: regulators, formal complaints, the press and social media, the bank
    (
        r"(?:file|filing|filed|lodge|lodging|lodged|submit|submitting|make|making|raise|raising|send|sending) "
        r"(?:a |an )?(?:formal |official |written )?complaint (?:with|to|against)"
    ),
    r"formal complaint",
    r"(?:take|taking|took) (?:this|it|the matter|this matter) (?:up )?(?:further|higher|up with)",
    (
        r"(?:our|my|the) (?:\w+ )?(?:volume|freight|business|cargo|account|shipments|lanes?) (?:goes|is going|"
        r"will go|moves|"
        r"is moving|will move|will be moving|is being moved) to"
    ),
    r"(?:complain\w*|report\w*|escalat\w*|write|writing) (?:\w+ ){0,3}to (?:the )?" + _REGULATOR,
    (
        r"escalat\w* (?:this |it |the matter |the issue )?(?:to|with) (?:your |our |the )?(?:ceo|md|managing director|"
        r"director|board|head office|headquarters|senior management|legal|legal department|lawyers?|the press|media)"
    ),
    r"(?:(?:i'll|we'll|i will|we will|going to|gonna|i'm|we're|am|are|will|and|or|then|to) (?:\w+ )?"
    r"(?:post|share|put|publish|tweet|write|leave|expose|go|tell)|posting|sharing|publishing|tweeting|writing|"
    r"leaving|exposing|going|telling) (?:\w+ ){0,6}(?:on|to|about) " + _MEDIA,
    r"(?:one|1|zero|0)[- ]star (?:review|rating)s?|(?:bad|negative|honest|scathing|terrible) reviews?",
    r"(?:so|let) (?:that )?(?:other|everyone|everybody|all) (?:\w+ )?(?:know|see|learn|are warned)",
    r"warn (?:other|every|all) \w+",
    r"dispute (?:it|this|them|these|the \w+) with (?:my|our) (?:bank|card|credit card|card issuer|card company)",
    r"disput\w* (?:it|this|them|these|the \w+) with (?:my|our|the) (?:bank|card|credit card|card issuer|card company)",
    r"(?:credit )?card (?:company|issuer)",
    r"revers\w* the (?:charge|charges|payment)|(?:stop|stopping|cancel|cancelling) (?:the )?payment",
    # indirect leaving
    r"(?:to be|be|being|get|getting) (?:cut|dropped|replaced|delisted)",
    (
        r"(?:cut|cutting|drop|dropping|replace|replacing|ditch|ditching|dump|dumping|fire|firing|delist|delisting) "
        r"(?:you|your (?:company|firm|service|services)|ties)"
    ),
    r"(?:relationship|partnership|cooperation|collaboration|business relationship) is (?:over|finished|done)",
    (
        r"(?:we're|we are|i'm|i am) (?:done|finished|through) (?:with (?:you|your \w+|this (?:company|carrier|"
        r"courier|service))|here)"
    ),
    (
        r"(?:everyone|everybody|the whole \w+|all \w+|the industry|the market) (?:\w+ ){0,4}(?:will|is going to|shall) "
        r"(?:hear|know|read|learn) about"
    ),
    r"(?:lose|losing|lost) (?:our|my|a|this) (?:business|account|custom|customer|client|contract)",
    (
        r"(?:this|that) (?:is |was |will be )?(?:the|our|my) (?:very )?last (?:time|shipment|order|booking|"
        r"container|load|consignment|chance)"
    ),
    r"(?:final|last) (?:warning|chance)",
    (
        r"(?:won't|will not|never|not) (?:be )?(?:using|use|working with|shipping with|booking with|"
        r"sending \w+ (?:to|with)) (?:you|your)"
    ),
    r"(?:won't|will not|not) (?:be )?(?:renew|renewing|extend|extending|continuing|continue|sign|signing)\b",
)

# Leaving in the making: a threat only next to a complaint ("we are evaluating
# our carriers for the tender" is business as usual).
EN_SOFT_THREAT = (
    (
        r"(?:review|reviewing|reassess|reassessing|re-evaluate|re-evaluating|reevaluate|reevaluating|rethink|"
        r"rethinking|"
        r"evaluate|evaluating) (?:all |of )?(?:our |the |this |your )?(?:\w+ )?(?:partners|providers|carriers|"
        r"couriers|forwarders|suppliers|vendors|options|relationship|partnership|cooperation|use of you)"
    ),
    (
        r"(?:considering|consider|thinking about|looking at|looking into) (?:\w+ ){0,2}(?:alternatives|other options|"
        r"other \w+|moving|switching|leaving|changing|ending|cancelling|terminating|dropping|replacing)"
    ),
    r"exploring (?:\w+ )?(?:alternatives|options|other \w+)",
    (
        r"(?:get|getting|got|request|requesting|ask|asking) (?:\w+ )?quotes? from (?:other|another|"
        r"your competitors?|\w+ else)"
    ),
    r"(?:the|our|my) (?:very )?last (?:shipment|order|booking|container|load|consignment) (?:with|through|via) you",
    r"move (?:our|my|all our|the) (?:\w+ )?(?:volume|freight|business|cargo|account|lanes?)",
    r"moving (?:our|my|all our|the) (?:\w+ )?(?:volume|freight|business|cargo|account|lanes?)",
)

EN_COMPENSATION = (
    r"compensat\w*",
    r"refund\w*",
    r"reimburs\w*",
    r"money back",
    r"(?:filing|file|make|making) a claim",
    r"claim(?:ing|ed)? (?:\w+ ){0,3}(?:costs?|loss(?:es)?|value|damages|amount|invoice)",
    r"replace (?:it|them|the \w+)|replacement at your cost",
    r"(?:waive|write off|cancel|credit) (?:it|them|the (?:fee|fees|charge|charges|invoice|surcharge))",
    r"pay for it",
    r"you (?:pay|cover|owe|refund|reimburse|credit)",
    r"(?:the )?difference (?:credited|refunded|paid|back)|(?:credit|refund|pay) (?:us |me )?the difference",
    r"formal claim",
    r"claim form",
    r"(?:paid|pay) for (?:it|them|the \w+)",
    r"want (?:the )?(?:\w+ )?(?:units|items|goods) paid for",
    r"cover the (?:loss|losses|cost|costs|damage)",
    r"credit (?:it|them|us) back",
    r"deduct\w*",
    r"(?:hold|holding) you (?:liable|responsible)",
    r"want (?:our|my) money",
    r"give (?:me|us) (?:back|our money|my money)",
    r"(?:bear|cover|absorb) (?:this|the|these|all|our) (?:cost|costs|loss|losses)",
    r"(?:the )?(?:full|entire|whole|total) (?:value|cost|costs|amount|loss)",
    r"(?:make|making) (?:it )?good",
)

# Shifting a cost onto the company or refusing to pay: weigh more than a
# plain mention of a refund.
EN_DEMAND = (
    # cost shifting: you (will) pay, cover, bear... it is on you
    (
        r"(?<!will )(?<!can )(?<!do )(?<!does )(?<!would )(?<!could )(?<!should )(?<!who )(?:you|you'll|you'd|"
        r"you're|your (?:\w+ )?(?:company|firm|team|insurer|insurance|underwriters?|side))"
        r"(?: will| are going to| had better| better| must| need to| have to| should| can| to)? (?:be )?"
        r"(?:pay|paying|cover|covering|bear|bearing|absorb|absorbing|foot|footing|eat|eating|reimburs\w*|compensat\w*|"
        r"refund\w*|settl\w*) (?:for )?(?:the|this|that|it|all|every|our|my|these|those|any|each|us|me|its|whatever)\b"
    ),
    (
        r"(?:your (?:insurer|insurance|underwriters?)) (?:will|'ll|had better|better|is going to|must|should|can) "
        r"(?:be )?\w+"
    ),
    (
        r"(?:expect|want|need|require|demand|insist) (?:that )?you (?:to )?(?:pay|cover|bear|absorb|foot|reimburse|"
        r"compensate|refund|credit|settle|make good)"
    ),
    (
        r"(?:is|are|'s|'re|be|remains?) (?:all )?(?:on you|yours|your (?:responsibility|problem|cost|costs|expense|"
        r"liability|bill|fault))"
    ),
    r"at your (?:own )?(?:cost|expense)",
    (
        r"(?:send|sending|sent|forward|forwarding|pass|passing) (?:you )?(?:the|our|my) (?:bill|invoice|costs?)"
        r"(?: to you)?"
    ),
    (
        r"(?:we'll|we will|i'll|i will|going to|be|we're|we are) (?:\w+ )?(?:bill|billing|invoice|invoicing|"
        r"charge|charging|"
        r"back-charge|back-charging|recharge|recharging) you\b"
    ),
    (
        r"(?:submit|submitting|submitted|claim|claiming|recover|recovering|seek|seeking) (?:\w+ ){0,2}(?:full|"
        r"entire|whole|total) "
        r"(?:loss|losses|value|cost|costs|amount)"
    ),
    (
        r"(?:we|i)(?:'ll|'re|'m| will| are| am| shall)? (?:not|never|won't|will not|refuse to|refusing to|"
        r"are not going to) "
        r"(?:be )?pay(?:ing)?\b"
    ),
    (
        r"(?:withhold|withholding|withheld|hold|holding|suspend|suspending|freeze|freezing) "
        r"(?:\w+ )?(?:payment|payments|the balance|the invoice|invoices|our payment|all payments)"
    ),
    r"(?:off|from) (?:your|the next|your next) (?:invoice|bill|payment)",
    r"short[- ]?pa(?:y|ying|id)",
    (
        r"(?:bill|invoice|costs?|charges?|fees?) (?:\w+ ){0,5}(?:is|are|goes|going|will go|gets|get) (?:straight |"
        r"directly )?to you"
    ),
)

EN_NEGATORS = frozenset(
    (
        "not",
        "no",
        "never",
        "without",
        "nor",
        "neither",
        "hardly",
        "cannot",
        "nothing",
        "nobody",
        "none",
        "isn't",
        "wasn't",
        "aren't",
        "weren't",
        "don't",
        "doesn't",
        "didn't",
        "won't",
        "wouldn't",
        "haven't",
        "hasn't",
        "hadn't",
        "can't",
        "couldn't",
        "shouldn't",
    )
)

EN_INTENSIFIERS = {
    "very": 1.5,
    "so": 1.3,
    "really": 1.3,
    "extremely": 1.8,
    "totally": 1.6,
    "absolutely": 1.6,
    "completely": 1.6,
    "utterly": 1.8,
    "incredibly": 1.6,
    "truly": 1.3,
    "too": 1.3,
    "always": 1.2,
    "again": 1.3,
    "constant": 1.4,
    "repeated": 1.4,
    "whole": 1.3,
    "entire": 1.3,
    "bit": 0.5,
    "little": 0.5,
    "slightly": 0.5,
    "somewhat": 0.6,
    "minor": 0.5,
    "few": 0.6,
}

EN_CONTRAST = frozenset(("but", "however", "although", "though", "yet"))
# A new subject opens a new clause: a negation before it does not reach past
# it ("if the charges aren't reversed I'll be disputing them").
EN_SUBJECTS = frozenset(("i'll", "we'll", "i'm", "we're", "i've", "we've", "i'd", "we'd", "they'll", "they're"))

# Negation does not apply across these words ("not a big deal" is fine).
EN_POSITIVE_PHRASES = {
    "not a big deal": 1.0,
    "no big deal": 1.0,
    "no problem": 1.0,
    "no problems": 1.0,
    "no issue": 1.0,
    "no issues": 1.0,
    "well done": 2.0,
    "great job": 2.5,
    "keep it up": 2.0,
    "five stars": 2.5,
    "5 stars": 2.5,
    "thank you": 1.5,
    "thanks": 1.5,
    "many thanks": 2.0,
    "thanks a lot": 2.0,
    "thanks a bunch": 2.0,
    "thanks so much": 2.0,
    "good job": 2.0,
    "nice job": 2.0,
    "nice work": 2.0,
    "way to go": 2.0,
    "excellent work": 2.5,
    "nice one": 1.5,
    "just great": 1.5,
    "great stuff": 2.0,
}

# Contempt by comparison: "a kid on a bike could do better than this".
EN_CONTEMPT = (
    r"(?<!thanks )(?<!thank you )so much for",
    (
        r"(?:a|an|my|any|even a|even an|even my) (?:[\w-]+ ){1,5}could (?:\w+ ){0,4}(?:better|more \w+|\w+er) "
        r"(?:\w+ ){0,4}than (?:this|that|you|yours|your \w+)"
    ),
    (
        r"(?:kids?|child|children|toddlers?|monkeys?|chimps?|grandma|grandmother|granny|hamsters?|pigeons?|snails?|"
        r"tortoises?|turtles?|students?|interns?|[\w-]*year-olds?) (?:\w+ ){0,4}could (?:do|run|have done|"
        r"manage|handle|deliver|ship)"
    ),
    (
        r"(?:slower|worse|less reliable|more careless) than (?:a |an )?(?:snail|tortoise|turtle|pigeon|kid|child|"
        r"toddler)s?"
    ),
)

# Praise that turns sarcastic next to a trade failure ("great job losing my
# parcel again", "brilliant, another late delivery").
EN_SARCASM_MARKERS = frozenset(
    (
        "great job",
        "good job",
        "nice job",
        "nice work",
        "excellent work",
        "well done",
        "way to go",
        "thanks a lot",
        "thanks a bunch",
        "thanks so much",
        "brilliant",
        "amazing",
        "fantastic",
        "impressive",
        "wonderful",
        "superb",
        "outstanding",
        "lovely",
        "marvellous",
        "marvelous",
        "congratulations",
        "bravo",
        "genius",
        "stellar",
        "spectacular",
        "incredible",
        "terrific",
        "awesome",
        "great",
        "nice one",
        "nice",
        "just great",
        "great stuff",
    )
)
# ... when the text repeats the failure or mocks it ...
EN_SARCASM_CUE_RE = re.compile(
    r"\b(?:again|another|as usual|once more|yet|every time|each time|truly|managed to|"
    r"(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)) (?:time|one|parcel|shipment|delivery)|"
    r"times? (?:this|in a row)|in a row|keep (?:it )?up|"
    r"losing|breaking|damaging|ruining|crushing|smashing|missing|delaying)\b"
)
# ... and praises no fix ("great job catching the wrong code", "thanks a
# lot for fixing the late delivery" are praise).
EN_REMEDY_RE = re.compile(
    r"\b(?:fix\w*|sort\w*|resolv\w*|replac\w*|handl\w*|refund\w*|found|find|finding|recover\w*|rescu\w*|sav\w*|"
    r"quick\w*|fast|prompt\w*|despite|help\w*|catch\w*|caught|spot\w*|prevent\w*|avoid\w*|chas\w*|track\w* down|"
    r"apolog\w*|compensat\w*|reimburs\w*|credit\w*|finally|cleared|released|turned up|showed up|made it|"
    r"back on track|in the end)\b"
)

# Words of a shouted text (in CAPITALS): acronyms (FOB, THC, DDP) are no shouting.
EN_SHOUT_WORDS = frozenset(
    [
        "where",
        "why",
        "what",
        "when",
        "who",
        "how",
        "is",
        "are",
        "was",
        "were",
        "my",
        "our",
        "your",
        "you",
        "the",
        "this",
        "it",
        "not",
        "no",
        "never",
        "still",
        "nobody",
        "anyone",
        "anybody",
        "i",
        "we",
        "do",
        "does",
        "did",
        "can",
        "will",
        "have",
        "has",
        "again",
        "now",
        "today",
    ]
)

# --------------------------------------------------------------------------- Chinese lexicons

ZH_GENERAL = {
    # positive
    "好": 1.0,
    "很好": 1.8,
    "不错": 1.5,
    "满意": 2.0,
    "谢谢": 1.5,
    "感谢": 1.8,
    "多谢": 1.5,
    "辛苦": 1.0,
    "赞": 2.0,
    "点赞": 2.0,
    "好评": 2.0,
    "棒": 2.0,
    "完好": 1.8,
    "准时": 1.5,
    "及时": 1.5,
    "顺利": 1.5,
    "快": 0.8,
    "很快": 1.5,
    "安全": 1.0,
    "小心": 1.0,
    "到位": 1.5,
    "礼貌": 1.5,
    "热心": 1.5,
    "专业": 1.5,
    "靠谱": 1.8,
    "放心": 1.5,
    "解决了": 1.5,
    "好了": 1.0,
    "没问题": 1.0,
    "问题不大": 1.0,
    "可以理解": 1.0,
    "理解": 0.5,
    "不影响": 1.0,
    "帮忙": 0.8,
    "帮了大忙": 2.0,
    "继续保持": 1.5,
    "一如既往": 1.0,
    "好用": 1.5,
    "五星": 2.0,
    "开心": 2.0,
    "好好的": 1.5,
    "可以接受": 1.0,
    "不靠谱": -2.5,
    "怎么回事": -1.5,
    "对不上": -1.5,
    "不认": -2.0,
    "耽误": -2.0,
    "涨价": -1.5,
    "催": -1.0,
    "没回": -1.5,
    "没人跟进": -2.0,
    "没跟进": -1.8,
    "敷衍": -2.5,
    "推卸": -2.5,
    "推脱": -2.0,
    "不负责任": -2.8,
    "忽悠": -2.5,
    "高兴": 2.0,
    # negative
    "差": -2.0,
    "太差": -2.8,
    "很差": -2.5,
    "烂": -2.5,
    "问题": -0.8,
    "麻烦": 0.0,  # "麻烦确认一下" is a polite please
    "失望": -2.0,
    "不满": -2.0,
    "不满意": -2.2,
    "不方便": -1.0,
    "不行": -1.5,
    "糟糕": -2.5,
    "难受": -1.5,
    "烦": -1.0,
    "坏": -1.5,
    "失败": -1.5,
    "错": -1.0,
    "慢": -1.2,
    "太慢": -2.0,
    "拖": -1.5,
    "骗": -2.0,
    "不承认": -2.0,
    "不肯": -1.5,
    "不管": -1.5,
    "没人管": -2.0,
    "没人回": -1.8,
    "打不通": -1.8,
    "不处理": -1.8,
    "不报告": -1.2,
    "挂我电话": -2.0,
    "吓坏": -2.0,
    "崩": -2.0,
    "责任": -1.0,
    "野蛮": -2.5,
    "粗暴": -2.5,
    "暴力": -2.0,
    "拒收": -1.5,
    "不清楚": -0.8,
    "不理": -1.5,
    "没人理": -2.0,
    "人影": -1.5,
    "让我自己": -1.5,
    "敷衍了事": -2.5,
    "马虎": -2.0,
    "粗心": -2.0,
    "白等": -2.0,
    "卡了": -1.2,
    "浪费": -1.5,
    "被退": -1.5,
}

# Trade words: delays, damage, losses, claims and billing disputes.
ZH_TRADE = {
    "延误": -2.0,
    "延迟": -1.5,
    "晚到": -1.5,
    "晚了": -1.2,
    "迟到": -1.5,
    "超时": -1.5,
    "还没到": -1.8,
    "没到": -1.5,
    "没来": -1.5,
    "没收到": -2.0,
    "未收到": -2.0,
    "没送": -1.5,
    "一直没": -1.2,
    "没更新": -1.0,
    "不更新": -1.0,
    "破损": -2.2,
    "损坏": -2.2,
    "货损": -2.2,
    "坏了": -2.0,
    "压坏": -2.2,
    "压扁": -2.2,
    "摔坏": -2.5,
    "碎了": -2.0,
    "全碎": -2.5,
    "破了": -1.5,
    "撕破": -2.0,
    "断了": -2.0,
    "泡坏": -2.5,
    "水渍": -1.5,
    "受潮": -2.0,
    "变质": -2.5,
    "报废": -2.5,
    "塌了": -2.0,
    "凹": -0.8,
    "磕坏": -2.2,
    "磕掉": -2.0,
    "刮花": -1.5,
    "湿透": -2.0,
    "空盒": -2.5,
    "无人签收": -1.0,
    "补税": -1.0,
    "碰坏": -2.2,
    "磨损": -1.0,
    "划痕": -1.2,
    "泡烂": -2.5,
    "烂了": -2.0,
    "漏了": -1.5,
    "变形": -1.5,
    "裂了": -2.0,
    "化了": -1.5,
    "寄丢": -2.8,
    "弄丢": -2.8,
    "搞丢": -2.8,
    "不见了": -2.0,
    "多扣": -2.0,
    "压了": -1.5,
    "被踩": -2.0,
    "踩坏": -2.2,
    "迟": -1.0,
    "丢件": -2.8,
    "丢了": -2.0,
    "丢失": -2.5,
    "货丢": -2.5,
    "少件": -2.0,
    "少了": -1.5,
    "漏发": -2.0,
    "发错": -2.0,
    "错发": -2.0,
    "送错": -2.0,
    "填错": -1.8,
    "被拆": -2.0,
    "拆开过": -2.0,
    "扣货": -1.5,
    "扣着货": -2.0,
    "罚款": -1.5,
    "多收": -2.0,
    "乱收费": -2.5,
    "重复收费": -2.0,
    "超标": -1.8,
    "派送失败": -2.0,
    "虚假签收": -3.0,
    "跑路": -3.0,
    "损失": -1.8,
    "理赔": -0.5,
    "扔": -1.5,
    "骂人": -2.5,
    "大吼大叫": -2.5,
    "态度差": -2.5,
    "异常": -0.5,
}

ZH_ANGER = (
    "气死",
    "气人",
    "生气",
    "愤怒",
    "火大",
    "恼火",
    "太过分",
    "过分",
    "垃圾",
    "骗子",
    "欺诈",
    "诈骗",
    "无耻",
    "恶劣",
    "离谱",
    "太离谱",
    "受够了",
    "忍无可忍",
    "破服务",
    "什么素质",
    "没素质",
    "装死",
    "抢钱",
    "坑人",
    "坑爹",
    "赖账",
    "笑话",
    "心态崩",
    "无语",
    "恶心",
    "坑",
    "给个说法",
    "一而再再而三",
    "最差",
    "还好意思",
    "凭什么",
    "气炸",
    "气疯",
    "说瞎话",
    "宰人",
    "服了",
    "简直",
    "搞什么",
    "什么玩意",
    "骂",
    "疯了",
    "踢皮球",
    "威胁",
    # rhetorical anger and contempt
    "耍人",
    "耍我",
    "耍我们",
    "玩我",
    "玩我们",
    "逗我",
    "当猴耍",
    "当我傻",
    "当我们傻",
    "当我是",
    "搞什么鬼",
    "搞什么名堂",
    "什么鬼",
    "什么东西",
    "有没有人管",
    "到底怎么回事",
    "到底什么情况",
    "到底有没有",
    "到底还",
    "到底想",
    "摆设",
    "形同虚设",
    "干什么吃的",
    "干嘛吃的",
    "吃干饭",
    "吃白饭",
    "开什么玩笑",
    "开玩笑吧",
    "有病",
    "脑子",
    "岂有此理",
    "像话",
    "太不像话",
    "不像话",
    "评评理",
    "讨个说法",
    "要个说法",
    "没完",
    "欺负人",
    "欺人太甚",
    "霸王条款",
    "呵呵",
    "活该",
    "丢人",
    "混蛋",
    "废物",
    "孩子都",
    "小孩都",
    "欺负",
    "糊弄",
    "交代",
    "一塌糊涂",
    "乱七八糟",
    "不可理喻",
)

# Contempt (regular expressions, read as anger): 什么破物流, 蜗牛都比你们快.
ZH_CONTEMPT = (
    r"什么破|破(?:物流|快递|公司|服务|系统|平台|客服|仓库|司机)",
    r"(?:蜗牛|乌龟|老牛|牛车|马车|走路|步行|骑自行车|爬|小孩|孩子|三岁|猪|狗|瞎子)[^，。！？,!?]{0,6}都比你们",
    r"都比你们[^，。！？,!?]{0,3}(?:快|强|好|靠谱|专业|稳|负责|上心)",
    r"你们(?:是不是|是否|难道)?觉得[^，。！？,!?]{0,8}(?:好欺负|好骗|傻|好说话)",
    r"(?:你们|你)(?:是不是|是)(?:在)?(?:耍|玩|逗|骗)",
    r"到底[^，。！？,!?]{0,6}?([一-鿿])不\1",
    r"还(?:想|做|干|管)不(?:想|做|干|管)",
    r"(?:还能|能)干(?:点|些)?(?:什么|啥)|都(?:办|做|干|弄|搞|送)不(?:好|对|明白|清楚)",
)

# Praise that turns sarcastic next to a trade failure (太棒了，又丢了).
ZH_SARCASM_MARKERS = {
    "太棒了": 2.5,
    "真棒": 2.0,
    "真行": 1.5,
    "真厉害": 2.0,
    "太厉害了": 2.0,
    "厉害了": 1.5,
    "真牛": 2.0,
    "牛啊": 1.5,
    "好样的": 2.0,
    "干得漂亮": 2.5,
    "干得好": 2.0,
    "佩服": 1.5,
    "了不起": 2.0,
    "真能干": 1.5,
    "真有你们的": 0.0,
    "可真是": 0.0,
    "谢谢你们啊": 1.5,
    "太感谢了": 2.0,
    "感谢你们的": 1.5,
    "一流": 2.0,
    "真专业": 2.0,
    "666": 1.5,
}
ZH_SARCASM_CUE_RE = re.compile(
    r"又|再次|再一次|每次|总是|老是|第[二三四五六七八九十几\d]+次|越来越|果然|一如既往|呵呵|[“「『\"]"
)
ZH_REMEDY_RE = re.compile(
    r"补发|解决|处理|找到|找回|修好|赔了|退了|及时|很快|迅速|帮忙|帮我|挽回|避免|发现|拦截|追回|重发|加急|终于|总算|放行|清关了"
)

# Words that hold a shorter sentiment word but mean nothing of the kind (快递
# is no "fast", 差价 no "bad", 不好意思 a polite "sorry").
ZH_NEUTRAL = ("快递", "快件", "快运", "好几", "好像", "好多", "差价", "差额", "出差", "不好意思", "好的")

# Threats to leave or to escalate outside the company (regular expressions).
ZH_THREAT = (
    r"换一家",
    r"换家",
    r"换(?:个|别的)?(?:物流|快递|供应商|服务商|货代|公司)",
    r"更换.{0,4}(?:物流|快递|供应商|服务商|货代|公司)",
    r"(?:找|用)别的.{0,4}(?:物流|快递|供应商|服务商|货代|公司)",
    r"转给.{0,4}(?:顺丰|京东|中通|圆通|申通|韵达|德邦|别家|别人|其他)",
    r"不再.{0,6}合作",
    r"不会再.{0,8}合作",
    r"不(?:再)?合作",
    r"(?:取消|终止|结束|停止|解除)(?:合作|合同|协议)",
    r"合同不续|不续(?:约|签|合同)",
    r"(?:取消|注销)(?:账户|账号|帐户|帐号)",
    r"(?:再|在)也不(?:会)?(?:用|找|合作|寄)",
    r"以后不(?:会)?(?:再)?(?:用|找)",
    r"最后一次(?:用|找|合作)",
    r"投诉到",
    r"向.{0,6}投诉",
    r"我要投诉",
    r"(?<!\d)12315(?!\d)",
    r"消协|消费者协会|邮政局|市场监管",
    r"报警|派出所",
    r"法律程序|法律途径|走法律|诉讼|起诉|仲裁|律师(?!事务所)|法庭|法院|打官司",
    r"合同.{0,4}不(?:签|续)|不(?:签|续)合同",
    r"(?:另找|另寻|找别家|换别家|用别家)",
    r"不(?:跟|和|与)你们.{0,3}(?:合作|做|玩)",
    r"撤货|撤柜|撤单",
    r"曝光|差评|(?<!\d)12345(?!\d)",
    r"拉黑",
    r"别怪我|后果自负|走着瞧|等着瞧|你们等着|等着吧|说到做到",
    r"管理局|监管局|监督局|监督管理|质监局|质检局",
    r"撤走|撤出|全部撤|全撤",
    # escalation: regulators, lawyers, the press and social media, the bank
    r"邮政管理局|邮管局|交通(?:运输)?局|运管|工商|商务局|海关.{0,4}(?:投诉|举报|反映)|监管部门|主管部门|有关部门|相关部门|质监",
    r"举报|投诉你们|去投诉|要投诉|会投诉|正式投诉|书面投诉|上报",
    r"法务|律师函",
    r"(?:发|挂|晒|曝|放|贴|传|写|爆)[^，。！？,!?]{0,10}(?:微博|小红书|抖音|快手|朋友圈|知乎|公众号|头条|网上|网络|媒体|群里|论坛|大众点评|黑猫)",
    r"(?:微博|小红书|抖音|快手|朋友圈|知乎|媒体|记者|黑猫投诉|网上)[^，。！？,!?]{0,6}(?:曝光|投诉|发帖|说说|评理|揭露|爆料)",
    r"让(?:大家|所有人|同行|其他人|别人|大伙)[^，。！？,!?]{0,6}(?:看看|评|知道|避雷|小心|注意)",
    r"避雷|找媒体|找记者|上新闻|媒体曝光",
    r"拒付|退单申请|申请拒付|银行.{0,4}(?:争议|拒付|投诉|止付)|信用卡.{0,4}(?:争议|拒付|投诉)",
    # indirect leaving
    (
        r"(?:我们|我|我司|我方|公司|老板|领导)[^，。！？,!?]{0,6}重新考虑|重新考虑(?:合作|是否|要不要|跟你们|和你们|与你们|供应商|物流商)|(?:考虑|打算|准备|"
        r"计划)[^，。！？,!?]{0,6}(?:换|找别|另找|终止|取消|结束|停止|不续|不合作|别的|其他)"
    ),
    r"不(?:打算|准备|会|想)?(?:再)?续(?:了|约|签|合同|费|期)?(?![航])",
    r"(?:这是|这将是|就当是|今年|本月|这个月|这次)?最后一(?:次|票|单|批|回|趟|柜)(?:给|交给|找|用|发|跟|和|合作)",
    r"(?:这是|这将是|就当是)最后一(?:次|票|单|批|回|趟|柜)",
    r"最后通牒|最后警告|最后一次机会",
    r"(?:换|找)(?:个|一个|一家|别的|其他|其它)?(?:合作方|合作伙伴|承运商|物流商|快递公司|物流公司|货代公司)",
    r"(?:业务|货量|订单|货)[^，。！？,!?]{0,4}(?:转给|转到|交给|挪到|移到)(?:别|其他|其它|同行)",
    r"(?:砍掉|剔除|踢掉|淘汰|换掉|停掉|停用)你们",
    r"(?:合作|关系)[^，。！？,!?]{0,3}(?:到此为止|结束了|就到这|算了)|到此为止",
    r"另请高明|后会无期|再见了|分道扬镳",
    r"(?:再|在)也不(?:会)?(?:给|跟|和|交给)你们",
)

ZH_COMPENSATION = (
    r"赔偿",
    r"索赔",
    r"赔钱",
    r"(?:照价|全额|你们|要你们|负责|必须|给我|给我们)赔",
    r"(?<!理)赔",
    r"退(?:给|还)",
    r"退(?:运费|货款|费用)",
    r"(?:由|你们|你方|贵司)(?:来)?(?:承担|出钱|来出|买单)|你们来出",
    r"换新|重新补发",
    r"(?:你们|你方|贵司)(?:来)?(?:出|补|付|赔|报销)",
    r"(?:差额|差价|费用|维修费|运费|货款|损失).{0,4}(?:退回|退给|补上|补给|你们出)",
    r"退款",
    r"退钱",
    r"报销",
    r"(?:承担|负责|赔).{0,3}损失|损失.{0,6}(?:承担|负责|赔)",
    r"追究",
    r"从运费里扣|扣运费",
    (
        r"(?:你们|你方|贵司|你司|你们公司|你们保险|贵公司)(?:自己|自行|全部|全额|全)?(?:来)?"
        r"(?:承担|负责|出钱|买单|报销|赔|补偿|兜底|埋单|掏钱|掏|出|付|补)"
    ),
    r"看着办",
    r"扣(?:款|钱|你们|除|掉|下|回)",
    r"全额|照价|原价|按价",
)

# Shifting a cost onto the company or refusing to pay (weigh DEMAND_VALENCE).
ZH_DEMAND = (
    (
        r"(?:由|让|叫|得|该|应该|应当|必须|要求|只能)(?:你们|你方|贵司|你司|你们公司|贵公司)(?:自己|自行|全部|全额|全)?(?:来)?"
        r"(?:承担|负责|出钱|买单|报销|赔|补偿|兜底|埋单|掏钱|掏|出|付|补)"
    ),
    r"(?:你们|你方|贵司|你司)(?:自己|自行)(?:来)?(?:承担|负责|出|付|赔|买单|埋单|掏|消化|看着办)",
    r"(?:算|记)(?:在)?你们(?:的)?(?:头上|账上|身上)|算你们的(?![^，。！？,!?]{0,6}(?:吗|还是|[？?]))|你们的责任|你们的锅|你们全责",
    r"不(?:会|再|能|想)?(?:为|给|替|帮)[^，。！？,!?]{0,12}(?:买单|埋单|付钱|付款|掏钱)|不买单|不埋单",
    r"(?:先|暂|暂时|就|坚决|一分钱都|一分都)不(?:会)?(?:付|结|给)(?:了|款|钱|运费|费用|账|尾款|余款)?|不付了|不结了",
    r"拒绝(?:支付|付款|结算|付)|暂停(?:付款|结算|支付)|冻结.{0,2}(?:付款|货款|结算)",
    r"(?:从|在)[^，。！？,!?]{0,8}(?:里|中)扣",
)

ZH_NEGATORS = frozenset(("不", "没", "没有", "未", "无", "别", "不是", "不会", "从没", "从来没", "并没有", "并不"))

ZH_INTENSIFIERS = {
    "非常": 1.6,
    "太": 1.5,
    "极其": 1.8,
    "特别": 1.5,
    "超级": 1.6,
    "十分": 1.5,
    "真的": 1.3,
    "真是": 1.3,
    "很": 1.2,
    "全": 1.3,
    "全部": 1.3,
    "整批": 1.3,
    "根本": 1.5,
    "完全": 1.5,
    "又": 1.4,
    "天天": 1.4,
    "每次都": 1.4,
    "一直": 1.2,
    "越来越": 1.4,
    "有点": 0.5,
    "有一点": 0.5,
    "一点": 0.6,
    "稍微": 0.5,
    "稍": 0.6,
    "略": 0.6,
    "些许": 0.6,
}

ZH_CONTRAST = frozenset(("但是", "但", "不过", "可是", "然而", "就是"))
# Not negations: "不然" (otherwise) and the condition "不 X 就 Y" ("不给就报警":
# no payment and we call the police) break the clause like a comma.
ZH_CLAUSE_WORDS = frozenset(("不然", "否则", "要不", "要不然", "就"))

# --------------------------------------------------------------------------- compiled lexicons

CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_RE = re.compile(r"[A-Za-z]")
EN_TOKEN_RE = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|\d+|!+|\?+|[.;:]")
ZH_CLAUSE_BREAK = frozenset("。！？!?；;\n")

# Kinds of terms
POSITIVE, NEGATIVE, ANGER, THREAT, COMPENSATION, NEGATOR, MODIFIER, CONTRAST, SOFT_THREAT = range(9)


def _alternation(patterns):
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


def _literal_alternation(terms):
    # the longest term first: regex alternation takes the first that matches
    return re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)))


_EN_THREAT_RE = re.compile(r"\b(?:" + "|".join(EN_THREAT) + r")\b")
_EN_COMPENSATION_RE = re.compile(r"\b(?:" + "|".join(EN_COMPENSATION) + r")\b")
_EN_DEMAND_RE = re.compile(r"\b(?:" + "|".join(EN_DEMAND) + r")\b")
_EN_CONTEMPT_RE = re.compile(r"\b(?:" + "|".join(EN_CONTEMPT) + r")\b")
_EN_SOFT_THREAT_RE = re.compile(r"\b(?:" + "|".join(EN_SOFT_THREAT) + r")\b")
_EN_ANGER_RE = re.compile(r"\b(?:" + "|".join(re.escape(term) for term in EN_ANGER) + r")\b")
_EN_PHRASES = {term: value for term, value in {**EN_TRADE, **EN_POSITIVE_PHRASES}.items() if " " in term}
_EN_PHRASE_RE = re.compile(r"\b(?:" + _literal_alternation(_EN_PHRASES).pattern + r")\b")

_ZH_THREAT_RE = _alternation(ZH_THREAT)
_ZH_COMPENSATION_RE = _alternation(ZH_COMPENSATION)
_ZH_DEMAND_RE = _alternation(ZH_DEMAND)
_ZH_CONTEMPT_RE = _alternation(ZH_CONTEMPT)
_ZH_TERMS = {}
for _term, _value in {**ZH_GENERAL, **ZH_TRADE}.items():
    _ZH_TERMS[_term] = (POSITIVE if _value > 0 else NEGATIVE, _value)
for _term in ZH_ANGER:
    _ZH_TERMS[_term] = (ANGER, ANGER_VALENCE)
for _term, _factor in ZH_INTENSIFIERS.items():
    _ZH_TERMS.setdefault(_term, (MODIFIER, _factor))
for _term, _value in ZH_SARCASM_MARKERS.items():
    _ZH_TERMS[_term] = (POSITIVE, _value)
for _term in ZH_NEUTRAL:
    _ZH_TERMS[_term] = (POSITIVE, 0.0)
for _term in ZH_NEGATORS:
    _ZH_TERMS[_term] = (NEGATOR, 0.0)
for _term in ZH_CONTRAST:
    _ZH_TERMS.setdefault(_term, (CONTRAST, 0.0))
for _term in ZH_CLAUSE_WORDS:
    _ZH_TERMS[_term] = (CONTRAST, "|")
_ZH_TERM_RE = _literal_alternation(_ZH_TERMS)

_en_lexicon = None


def en_lexicon():
    """VADER's word valences (the lexicon shipped in the vaderSentiment
    wheel), overridden by the trade words; loaded once."""
    global _en_lexicon
    if _en_lexicon is None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        lexicon = dict(SentimentIntensityAnalyzer().lexicon)
        lexicon.update((term, value) for term, value in EN_TRADE.items() if " " not in term)
        lexicon.update((term, value) for term, value in EN_POSITIVE_PHRASES.items() if " " not in term)
        for word in EN_NEGATORS | EN_CONTRAST | set(EN_INTENSIFIERS):
            lexicon.pop(word, None)
        _en_lexicon = lexicon
    return _en_lexicon


# --------------------------------------------------------------------------- analysis


def detect_language(text):
    """``"zh"`` when the CJK characters of ``text`` weigh at least a third of
    its Latin letters (and there is at least one), else ``"en"``."""
    text = (text or "")[:MAX_CHARS]
    cjk = len(CJK_RE.findall(text))
    if not cjk:
        return "en"
    return "zh" if cjk >= ZH_SHARE * len(LATIN_RE.findall(text)) else "en"


class _Term:
    """One term found in a text: its place (in words for English, in
    characters for Chinese), its kind, its surface text and its weight."""

    __slots__ = ("end", "kind", "negated", "retracted", "start", "text", "value")

    def __init__(self, start, end, kind, text, value):
        self.start, self.end, self.kind, self.text, self.value = start, end, kind, text, value
        self.negated = None  # the negator term that flips this one
        self.retracted = False  # a negated threat to leave or escalate ("we will not cancel the contract")


def _en_terms(text):
    lexicon = en_lexicon()
    lower = text.lower()
    tokens = list(EN_TOKEN_RE.finditer(text))
    starts = {match.start(): index for index, match in enumerate(tokens)}
    terms = []
    taken = set()

    def token_range(span):
        first = starts.get(span[0])
        if first is None:
            return None
        last = first
        while last + 1 < len(tokens) and tokens[last + 1].start() < span[1]:
            last += 1
        if any(index in taken for index in range(first, last + 1)):
            return None
        taken.update(range(first, last + 1))
        return first, last + 1

    for regex, kind, value in (
        (_EN_THREAT_RE, THREAT, THREAT_VALENCE),
        (_EN_SOFT_THREAT_RE, SOFT_THREAT, THREAT_VALENCE),
        (_EN_DEMAND_RE, COMPENSATION, DEMAND_VALENCE),
        (_EN_COMPENSATION_RE, COMPENSATION, COMPENSATION_VALENCE),
        (_EN_CONTEMPT_RE, ANGER, ANGER_VALENCE),
        (_EN_ANGER_RE, ANGER, ANGER_VALENCE),
        (_EN_PHRASE_RE, None, None),
    ):
        for match in regex.finditer(lower):
            place = token_range(match.span())
            if place is None:
                continue
            phrase = match.group()
            if kind is None:
                weight = _EN_PHRASES[phrase]
                terms.append(_Term(*place, POSITIVE if weight > 0 else NEGATIVE, phrase, weight))
            else:
                terms.append(_Term(*place, kind, phrase, value))
    shouting = not text.isupper()
    for index, match in enumerate(tokens):
        if index not in taken:
            term = _en_word(index, match.group(), lexicon, shouting)
            if term is not None:
                terms.append(term)
    # shouting: sentences in CAPITALS ("WHERE IS MY CONTAINER??") with a
    # problem or repeated ?? / !! read as anger
    shouted = [
        index
        for index, match in enumerate(tokens)
        if len(match.group()) > 1 and match.group().isupper() and match.group().lower() in EN_SHOUT_WORDS
    ]
    emphatic = [
        index
        for index, match in enumerate(tokens)
        if match.group() in ("AGAIN", "STILL", "NEVER", "EVER", "NOBODY", "NOTHING", "SERIOUSLY", "WHY", "ANOTHER")
    ]
    if emphatic and len(shouted) < 2 and any(term.kind == NEGATIVE and term.value <= -1.5 for term in terms):
        shouted = emphatic * 2
    if len(shouted) >= 2 and (
        re.search(r"[?!]{2,}", text) or any(term.kind == NEGATIVE and term.value <= -1.5 for term in terms)
    ):
        terms.append(_Term(shouted[0], shouted[0] + 1, ANGER, "CAPITALS", ANGER_VALENCE))
    terms.sort(key=lambda term: term.start)
    return terms


def _en_word(index, raw, lexicon, shouting):
    """The term of one English word (or punctuation), None for a word of
    no weight."""
    word = raw.lower()
    if word[0] == "!":
        return None
    if word in EN_NEGATORS or word.endswith("n't"):
        return _Term(index, index + 1, NEGATOR, word, 0.0)
    if word in EN_INTENSIFIERS:
        return _Term(index, index + 1, MODIFIER, word, EN_INTENSIFIERS[word])
    if word in EN_CONTRAST:
        return _Term(index, index + 1, CONTRAST, word, 0.0)
    if word[0] in ".;:?" or word in EN_SUBJECTS:
        return _Term(index, index + 1, CONTRAST, "|", 0.0)  # a clause break
    value = lexicon.get(word)
    if not value:
        return None
    if shouting and len(raw) > 2 and raw.isupper():
        value *= CAPS_FACTOR
    return _Term(index, index + 1, POSITIVE if value > 0 else NEGATIVE, word, value)


def _zh_terms(text):
    terms = []
    taken = []
    for regex, kind, value in (
        (_ZH_THREAT_RE, THREAT, THREAT_VALENCE),
        (_ZH_CONTEMPT_RE, ANGER, ANGER_VALENCE),
        (_ZH_DEMAND_RE, COMPENSATION, DEMAND_VALENCE),
        (_ZH_COMPENSATION_RE, COMPENSATION, COMPENSATION_VALENCE),
    ):
        for match in regex.finditer(text):
            start, end = match.span()
            if any(start < other_end and other_start < end for other_start, other_end in taken):
                continue
            taken.append((start, end))
            terms.append(_Term(start, end, kind, match.group(), value))
    for match in _ZH_TERM_RE.finditer(text):
        start, end = match.span()
        if any(start < other_end and other_start < end for other_start, other_end in taken):
            continue
        kind, value = _ZH_TERMS[match.group()]
        if value == "|":  # a clause break
            terms.append(_Term(start, end, CONTRAST, "|", 0.0))
        else:
            terms.append(_Term(start, end, kind, match.group(), value))
    for index, char in enumerate(text):
        if char in ZH_CLAUSE_BREAK or char in "，,":
            terms.append(_Term(index, index + 1, CONTRAST, "|", 0.0))  # a clause break
    terms.sort(key=lambda term: term.start)
    return terms


def _weigh(terms, language):
    """Apply negation, modifiers and contrast; return the weighted terms."""
    negation_window = NEGATION_WINDOW[language]
    modifier_window = MODIFIER_WINDOW[language]
    scored = []
    last_contrast = None
    for position, term in enumerate(terms):
        if term.kind == CONTRAST:
            if term.text != "|":
                last_contrast = len(scored)
            continue
        if term.kind in (NEGATOR, MODIFIER):
            continue
        value = term.value
        # look back within the clause for negators and modifiers
        for back in range(position - 1, -1, -1):
            previous = terms[back]
            gap = term.start - previous.end
            if previous.kind == CONTRAST or gap > max(negation_window, modifier_window):
                break
            if previous.kind == NEGATOR and gap <= negation_window and not term.negated:
                term.negated = previous
            elif previous.kind == MODIFIER and gap <= modifier_window and not term.negated:
                value *= previous.value
        if term.negated:
            value = value * NEGATION_SCALAR
            if term.kind in (THREAT, SOFT_THREAT, ANGER, COMPENSATION):
                term.retracted = term.kind in (THREAT, SOFT_THREAT)
                term.kind = POSITIVE if value > 0 else NEGATIVE
        scored.append([term, value])
    if last_contrast is not None:
        for index, item in enumerate(scored):
            item[1] *= CONTRAST_BEFORE if index < last_contrast else CONTRAST_AFTER
    return scored


_QUOTED_RE = re.compile(r"[“「『\"]([^”」』\"\n]{1,24})[”」』\"]")


def _sarcasm(scored, terms, text, language):
    """Praise that mocks a failure is anger: a praise word in scare quotes
    (你们真是越来越“专业”了), or a sarcastic marker (great job, brilliant,
    太棒了, 真厉害...) near an unnegated trade failure when the text repeats
    or mocks it (again, another, 又...) and praises no fix."""
    failures = [term for term, value in scored if term.kind == NEGATIVE and value <= -1.5 and not term.negated]
    if not failures:
        return
    if language == "en":
        markers, cue_re, remedy_re, near = EN_SARCASM_MARKERS, EN_SARCASM_CUE_RE, EN_REMEDY_RE, 14
        quoted = [(match.start(1), match.end(1)) for match in _QUOTED_RE.finditer(text)]
        spans = _token_spans(text) if quoted else ()
    else:
        markers, cue_re, remedy_re, near = ZH_SARCASM_MARKERS, ZH_SARCASM_CUE_RE, ZH_REMEDY_RE, 24
        quoted = [(match.start(1), match.end(1)) for match in _QUOTED_RE.finditer(text)]
        spans = None
    lower = text.lower()
    mocking = bool(cue_re.search(lower))
    remedied = bool(remedy_re.search(lower))
    for item in scored:
        term, value = item
        if term.kind != POSITIVE or term.negated:
            continue
        if quoted and value >= 1.0:
            if spans is None:
                start, end = term.start, term.end
            else:
                start, end = spans[term.start][0], spans[term.end - 1][1]
            if any(q_start <= start and end <= q_end for q_start, q_end in quoted):
                term.kind, item[1] = ANGER, ANGER_VALENCE
                continue
        if term.text not in markers or remedied:
            continue
        contrasts = [other.start for other in terms if other.kind == CONTRAST and other.text != "|"]
        close = [
            other
            for other in failures
            if -near <= other.start - term.start <= near
            and not any(min(other.start, term.start) < place < max(other.start, term.start) for place in contrasts)
        ]
        opening = term.start <= (1 if language == "en" else 0)
        if close and (mocking or opening or any(0 < other.start - term.end <= 2 for other in close)):
            term.kind, item[1] = ANGER, ANGER_VALENCE


def _token_spans(text):
    return [match.span() for match in EN_TOKEN_RE.finditer(text)]


def _driver(term, text, language):
    """The words that drove the score: the term, with its negator."""
    if not term.negated:
        return term.text
    if language == "en":
        return f"{term.negated.text} {term.text}"
    return text[term.negated.start : term.end]


# --------------------------------------------------------------------------- alert model

_MODEL_SPACE_RE = re.compile(r"\s+")
_MODEL_DIGITS_RE = re.compile(r"\d+")
_MODEL_QUESTION_RE = re.compile(r"[?？]+")
_MODEL_EXCLAMATION_RE = re.compile(r"[!！]+")
# the model's own tokens (EN_TOKEN_RE without the stops): the weights were
# trained on them, a change of either means retraining
_MODEL_EN_TOKEN_RE = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+|!+|\?+")
# words that drive no alert by themselves, left out of the drivers
_MODEL_EN_FUNCTION_WORDS = frozenset(
    ("about", "been", "from", "have", "just", "that", "their", "them", "then", "there", "they", "this", "were")
    + ("what", "when", "will", "with", "would", "your")
)
_MODEL_ZH_PARTICLES = "了的吗呢吧啊呀么"
_MODEL_ZH_FUNCTION_WORDS = frozenset(("你们", "我们", "他们", "这个", "那个", "一下", "一个", "可以", "的话", "就是"))
_model = None


def model_features(text, language):
    """The n-grams the alert model reads in ``text`` (a set of strings):
    Chinese, the characters and the runs of 2 and 3 characters of the text
    lowercased, without spaces, digits as 0, runs of ?/！ as one; English,
    the words, the pairs of adjacent words, and the runs of 3 to 5
    characters inside each word. ``scripts/train-sentiment-model`` trains
    on the same features."""
    text = text[:MAX_CHARS].lower()
    features = set()
    if language == "zh":
        text = _MODEL_SPACE_RE.sub("", _MODEL_DIGITS_RE.sub("0", text))
        text = _MODEL_EXCLAMATION_RE.sub("!", _MODEL_QUESTION_RE.sub("?", text))
        for size in (1, 2, 3):
            features.update("c:" + text[index : index + size] for index in range(len(text) - size + 1))
        return features
    words = [
        "0" if word.isdigit() else word[0] if word[0] in "!?" else word for word in _MODEL_EN_TOKEN_RE.findall(text)
    ]
    features.update("w:" + word for word in words)
    features.update(f"b:{first} {second}" for first, second in itertools.pairwise(words))
    for word in words:
        word = f"<{word}>"
        for size in (3, 4, 5):
            features.update("g:" + word[index : index + size] for index in range(len(word) - size + 1))
    return features


def alert_model():
    """The alert model shipped beside this file (a logistic regression per
    language over ``model_features``, trained by
    ``scripts/train-sentiment-model`` on the labelled messages of
    ``tests/data``); loaded once."""
    global _model
    if _model is None:
        with MODEL_PATH.open(encoding="utf-8") as file:
            _model = json.load(file)["languages"]
    return _model


def alert_probability(text, language):
    """The alert model's probability (0 to 1) that ``text``, written in
    ``language``, is from a clearly unhappy customer, and the weights of its
    features found in the text (``[(weight, feature)]``, in no order)."""
    model = alert_model()[language]
    weights = model["weights"]
    found = [(weights[feature], feature) for feature in model_features(text, language) if feature in weights]
    total = model["bias"] + sum(weight for weight, _feature in found)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, total)))), found


def _model_drivers(weighted, text, drivers):
    """Readable drivers from the model's features that pushed towards the
    alert (``weighted``: ``[(weight, feature)]``), strongest first: Chinese
    runs of 2 or 3 characters and English words or pairs (not the runs
    inside a word) found in the text, with a content word, none inside
    another nor inside ``drivers`` (the lexicons' drivers)."""
    found = []
    lower = text.lower()
    for weight, feature in sorted(weighted, reverse=True):
        if weight <= 0:
            break
        kind, words = feature[:2], feature[2:]
        if kind == "c:":
            readable = len(words) >= 2 and all(CJK_RE.match(character) for character in words)
            readable = readable and words not in _MODEL_ZH_FUNCTION_WORDS
            readable = readable and words[0] not in _MODEL_ZH_PARTICLES and words[-1] not in _MODEL_ZH_PARTICLES
        elif kind in ("w:", "b:"):
            readable = any(len(word) >= 4 and word not in _MODEL_EN_FUNCTION_WORDS for word in words.split())
        else:
            readable = False
        if not readable or words not in lower:
            continue
        if any(words in driver or driver in words for driver in (*drivers, *found)):
            continue
        found.append(words)
        if len(found) == MODEL_DRIVERS:
            break
    return found


def analyse(text, language=None, model=True):
    """The ``Sentiment`` of ``text`` (see the module's docstring); ``language``
    ("zh" or "en") skips the detection; ``model=False`` reads the lexicons
    only (the training script and the benchmark weigh what each adds)."""
    if not text or not text.strip():
        return NEUTRAL[language or "en"]
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        if not text[-1].isspace() and " " in text[-50:]:
            text = text.rsplit(" ", 1)[0]  # no word cut in two
    language = language or detect_language(text)
    terms = _en_terms(text) if language == "en" else _zh_terms(text)
    scored = _weigh(terms, language)
    _sarcasm(scored, terms, text, language)
    total = sum(value for _term, value in scored)
    if total < 0:
        exclamations = min(text.count("!") + text.count("！"), 4)
        total -= EXCLAMATION_STEP * exclamations
    score = round(max(-1.0, min(1.0, total / math.sqrt(total * total + SQUASH_ALPHA))), 3)
    kinds = {term.kind for term, value in scored}
    alert = (
        (THREAT in kinds and score < 0)
        or (
            SOFT_THREAT in kinds
            and score < 0
            and any(term.kind in (NEGATIVE, ANGER, COMPENSATION) and value <= -0.5 for term, value in scored)
        )
        or score <= STRONG_THRESHOLD
        or (score <= ALERT_THRESHOLD and bool(kinds & {ANGER, COMPENSATION}))
    )
    drivers = []
    for term, value in sorted(scored, key=lambda item: -abs(item[1])):
        if not value and term.kind not in (THREAT, SOFT_THREAT, COMPENSATION):
            continue
        driver = _driver(term, text, language)
        if driver not in drivers:
            drivers.append(driver)
    if model and not alert and not any(term.retracted for term, _value in scored):
        probability, features = alert_probability(text, language)
        if probability >= alert_model()[language]["threshold"]:
            alert = True
            # what raised the alert comes first
            drivers = _model_drivers(features, text, drivers) + drivers
    return Sentiment(score, alert, language, tuple(drivers[:MAX_DRIVERS]))


def analyse_many(texts):
    """The ``Sentiment`` of each text of ``texts``, in order (the lexicons
    are loaded once, before the first text)."""
    en_lexicon()
    return [analyse(text) for text in texts]
