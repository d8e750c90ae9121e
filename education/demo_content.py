# ruff: noqa: E501 - Markdown tables in the article bodies cannot be wrapped.
"""Texts of the demo articles (fictional clinic, fictional people). Written for patients in plain
language; they describe, they never diagnose. ``education.demo`` loads them."""

PEOPLE = [
    {
        "slug": "jordan-ellery",
        "name": "Jordan Ellery",
        "credentials": "PT, DPT",
        "role": "author",
        "job_title": "Physical therapist and patient educator",
    },
    {
        "slug": "priya-raman",
        "name": "Priya Raman",
        "credentials": "RN, BSN",
        "role": "author",
        "job_title": "Spine nurse educator",
    },
    {
        "slug": "nadia-brennan",
        "name": "Dr. Nadia Brennan",
        "credentials": "MD, FIPP",
        "role": "medical_reviewer",
        "job_title": "Interventional pain physician",
    },
    {
        "slug": "samuel-okafor",
        "name": "Dr. Samuel Okafor",
        "credentials": "MD",
        "role": "author_and_reviewer",
        "job_title": "Physical medicine and rehabilitation physician",
    },
    {
        "slug": "mateo-alvarado",
        "name": "Dr. Mateo Alvarado",
        "credentials": "DO",
        "role": "author_and_reviewer",
        "job_title": "Pain medicine physician",
    },
]

TOPIC_TAGS = [
    ("sciatica", "Sciatica", "Ciática"),
    ("nerve-root-pain", "Nerve root pain", "Dolor de raíz nerviosa"),
    ("herniated-disc", "Herniated disc", "Hernia de disco"),
    ("degenerative-disc-disease", "Degenerative disc disease", "Enfermedad degenerativa de disco"),
    ("warning-signs", "Warning signs", "Señales de alarma"),
    ("diagnosis", "Diagnosis and imaging", "Diagnóstico e imágenes"),
    ("injections", "Injections", "Inyecciones"),
    ("treatment-options", "Treatment options", "Opciones de tratamiento"),
    ("surgery", "Surgery", "Cirugía"),
]

ARTICLES = [
    {
        "slug": "l5-s1-nerve-damage-symptoms",
        "title": "L5-S1 nerve irritation: the symptoms and what they can mean",
        "category": "conditions",
        "author": "jordan-ellery",
        "reviewer": "nadia-brennan",
        "published": "2026-02-03",
        "last_reviewed": "2026-08-14",
        "red_flags": True,
        "sort_order": 10,
        "tags": [
            "sciatica",
            "nerve-root-pain",
            "herniated-disc",
            "pattern-l5",
            "pattern-s1",
            "pattern-l5-s1",
            "pattern-unspecified",
            "urgency-routine",
            "urgency-soon",
        ],
        "related": [
            "l5-vs-s1-nerve-patterns",
            "cauda-equina-emergency-warning-signs",
            "how-l5-s1-problems-are-diagnosed",
        ],
        "summary": (
            "The L5 and S1 nerve roots leave the spine at the very bottom of the lower back. When "
            "a disc presses on or inflames them, pain can shoot down one leg, often with tingling, "
            "numbness or weakness. Most people improve with time and simple care, but a few "
            "symptoms need urgent attention."
        ),
        "takeaways": [
            "Shooting pain from the lower back down one leg (sciatica) is the most common sign.",
            "Numbness, pins and needles or weakness in the foot or calf can come with the pain.",
            "Sitting, bending forward, coughing or sneezing often make the pain worse.",
            "Most nerve-root pain settles within 6 to 12 weeks with conservative care.",
            "Bladder or bowel changes, saddle numbness or fast-worsening weakness need care now.",
        ],
        "body": """
## Where the L5 and S1 nerve roots are

Your spinal nerves branch off the spinal canal in pairs. The L5 root leaves between the last
lumbar vertebra (L5) and the sacrum, and the S1 root leaves just below, through the sacrum. The
disc between L5 and the sacrum carries a lot of load, so it is one of the discs that most often
bulges, tears or wears down. When disc material or inflammation reaches a nerve root, doctors
call the resulting leg symptoms **lumbar radiculopathy**.

## Typical symptoms

- **Radiating leg pain.** A sharp, burning or electric pain that travels from the buttock down
  the back or side of the leg, usually on one side. Many people call it sciatica.
- **Numbness or tingling** along the path of the nerve, often reaching the foot.
- **Weakness**, such as a foot that catches on steps, or a calf that tires when you push off.
- **Pain that changes with position.** Long sitting, bending, lifting, coughing and sneezing
  often make it worse; walking or lying with the knees bent may ease it.

Leg pain is often stronger than the back pain itself. Severe cases can affect both legs.

## Why the exact pattern matters

The L5 and S1 roots supply different areas of the leg and foot. Where your numbness sits and
which movements are weak help a clinician tell which root is involved. Our article on
[L5 versus S1 patterns](/education/l5-vs-s1-nerve-patterns/) explains the differences. A symptom
checklist can only say what your symptoms are *consistent with*; an examination is what
confirms the source.

## What usually happens next

Most people with a new episode of nerve-root pain get better without surgery. Staying gently
active, pain relief that suits you, and a guided exercise programme help many people within
6 to 12 weeks. If pain stays severe, keeps you from sleeping or working, or weakness appears,
see a spine clinician sooner rather than later.

## Symptoms that cannot wait

A large disc herniation can squeeze the bundle of nerves at the bottom of the spinal canal (the
cauda equina). New trouble passing urine, loss of bladder or bowel control, numbness around the
groin and buttocks, or leg weakness that is getting worse quickly are emergencies. Read
[emergency warning signs](/education/cauda-equina-emergency-warning-signs/) so you can
recognise them.
""",
        "faq": [
            (
                "Is L5-S1 nerve pain the same as sciatica?",
                "Sciatica is a description of pain running down the back of the leg along the "
                "sciatic nerve. Irritation of the L5 or S1 nerve root is one of the most common "
                "causes of it, but not the only one.",
            ),
            (
                "Can the nerve be permanently damaged?",
                "Most irritated nerve roots recover. Lasting numbness or weakness is more likely "
                "when pressure on the nerve is severe or long-standing, which is why weakness "
                "that is getting worse should be checked promptly.",
            ),
            (
                "Should I rest in bed until the pain goes away?",
                "Long bed rest usually slows recovery. Short rests when the pain flares are fine, "
                "but gentle walking and normal activity within your limits tend to help.",
            ),
        ],
        "es": {
            "title": "Irritación de los nervios L5-S1: los síntomas y lo que pueden significar",
            "summary": (
                "Las raíces nerviosas L5 y S1 salen de la columna en la parte más baja de la "
                "espalda. Cuando un disco las presiona o las inflama, puede aparecer un dolor que "
                "baja por una pierna, a menudo con hormigueo, adormecimiento o debilidad. La "
                "mayoría de las personas mejora con el tiempo y cuidados sencillos, pero algunos "
                "síntomas requieren atención urgente."
            ),
            "takeaways": [
                "El síntoma más común es un dolor punzante que baja de la espalda por una pierna "
                "(ciática).",
                "Puede haber adormecimiento, hormigueo o debilidad en el pie o la pantorrilla.",
                "Estar sentado mucho tiempo, agacharse, toser o estornudar suele empeorar el "
                "dolor.",
                "La mayoría de los casos mejora en 6 a 12 semanas con tratamiento conservador.",
                "Los cambios en la vejiga o el intestino, el adormecimiento en la zona de la silla "
                "de montar o una debilidad que empeora rápido necesitan atención inmediata.",
            ],
            "body": """
## Dónde están las raíces L5 y S1

Los nervios espinales salen del canal de la columna en pares. La raíz L5 sale entre la última
vértebra lumbar (L5) y el sacro, y la raíz S1 sale justo debajo, a través del sacro. El disco
entre L5 y el sacro soporta mucha carga, por eso es uno de los que con más frecuencia se abulta,
se rompe o se desgasta. Cuando el material del disco o la inflamación alcanzan una raíz nerviosa,
los médicos llaman a los síntomas en la pierna **radiculopatía lumbar**.

## Síntomas típicos

- **Dolor que baja por la pierna.** Un dolor agudo, ardiente o como una descarga eléctrica que
  va del glúteo hacia la parte de atrás o el costado de la pierna, casi siempre de un solo lado.
- **Adormecimiento u hormigueo** a lo largo del nervio, muchas veces hasta el pie.
- **Debilidad**, por ejemplo un pie que se traba en los escalones o una pantorrilla que se cansa
  al impulsarse.
- **Dolor que cambia con la postura.** Estar sentado mucho rato, agacharse, levantar peso, toser
  y estornudar suelen empeorarlo; caminar o acostarse con las rodillas dobladas puede aliviarlo.

## Por qué importa el patrón exacto

Las raíces L5 y S1 llegan a zonas distintas de la pierna y del pie. Dónde está el adormecimiento
y qué movimientos están débiles ayudan a saber qué raíz está afectada. Un cuestionario de
síntomas solo puede decir con qué son *compatibles* sus síntomas; la exploración médica es la que
confirma el origen.

## Qué suele pasar después

La mayoría de las personas con un episodio nuevo de dolor de raíz nerviosa mejora sin cirugía.
Mantenerse activo con suavidad, un alivio del dolor adecuado y un programa de ejercicios guiado
ayudan a muchas personas en 6 a 12 semanas. Si el dolor sigue siendo intenso, no le deja dormir
o trabajar, o aparece debilidad, consulte a un especialista de columna cuanto antes.

## Síntomas que no pueden esperar

Una hernia de disco grande puede comprimir el conjunto de nervios de la parte baja del canal
(la cola de caballo). Una dificultad nueva para orinar, la pérdida del control de la vejiga o del
intestino, el adormecimiento alrededor de la ingle y los glúteos, o una debilidad en las piernas
que empeora rápido son una emergencia. Lea
[las señales de alarma](/education/cauda-equina-emergency-warning-signs/) para reconocerlas.
""",
            "faq": [
                (
                    "¿El dolor del nervio L5-S1 es lo mismo que la ciática?",
                    "La ciática describe un dolor que baja por la parte de atrás de la pierna "
                    "siguiendo el nervio ciático. La irritación de la raíz L5 o S1 es una de sus "
                    "causas más frecuentes, pero no la única.",
                ),
                (
                    "¿Puede quedar dañado el nervio para siempre?",
                    "La mayoría de las raíces irritadas se recupera. El adormecimiento o la "
                    "debilidad duraderos son más probables cuando la presión es fuerte o lleva "
                    "mucho tiempo; por eso una debilidad que empeora debe revisarse pronto.",
                ),
                (
                    "¿Debo quedarme en cama hasta que pase el dolor?",
                    "El reposo prolongado en cama suele retrasar la recuperación. Descansar un "
                    "rato cuando el dolor aumenta está bien, pero caminar con suavidad y seguir "
                    "con sus actividades dentro de sus límites suele ayudar.",
                ),
            ],
        },
    },
    {
        "slug": "l5-vs-s1-nerve-patterns",
        "title": "L5 or S1? How the two nerve-root patterns differ",
        "category": "conditions",
        "author": "samuel-okafor",
        "reviewer": "nadia-brennan",
        "published": "2026-02-10",
        "last_reviewed": "2026-08-14",
        "red_flags": True,
        "sort_order": 20,
        "tags": [
            "nerve-root-pain",
            "sciatica",
            "pattern-l5",
            "pattern-s1",
            "pattern-l5-s1",
            "urgency-routine",
            "urgency-soon",
        ],
        "related": [
            "l5-s1-nerve-damage-symptoms",
            "how-l5-s1-problems-are-diagnosed",
            "l4-l5-vs-l5-s1",
        ],
        "summary": (
            "The L5 and S1 nerve roots sit next to each other but serve different parts of the "
            "leg. Knowing where numbness sits and which movements are weak helps your clinician "
            "work out which root is irritated, though only an examination can confirm it."
        ),
        "takeaways": [
            "L5: top of the foot, outer shin and big toe; weakness lifting the foot or toes.",
            "S1: sole and outer edge of the foot, and the calf; weak push-off on tiptoe.",
            "A reduced ankle reflex points towards S1, but only an examination can show it.",
            "Both roots can be involved at once, and patterns overlap from person to person.",
        ],
        "body": """
## Two neighbours with different jobs

Each nerve root carries feeling from a strip of skin (a *dermatome*) and drives a group of
muscles (a *myotome*). Because L5 and S1 serve different strips and muscles, their symptoms
tend to show up in different places.

| | L5 pattern | S1 pattern |
|---|---|---|
| Where pain or numbness is felt | Outer side of the lower leg, top of the foot, often the big toe | Back of the calf, sole of the foot, outer edge of the foot |
| Muscles that may be weak | Lifting the foot and toes upward | Pushing the foot down, rising onto the toes |
| What you may notice | Foot slapping or catching (foot drop), trouble walking on your heels | Weak push-off when walking, trouble walking on tiptoe |
| Reflex a clinician checks | Usually normal | Ankle reflex may be reduced or absent |

## Simple things you might notice at home

Trying to walk a few steps on your heels, then on your toes, can show which side is weaker.
Do this only near a wall or a chair for support, and stop if it hurts. A change you notice is
something to tell your clinician, not a diagnosis.

## Why patterns are not always clear

Nerve maps differ a little from person to person, and one disc can touch both roots. Pain
alone is less telling than numbness and weakness. That is why a symptom questionnaire can say
which pattern your answers are *consistent with*, and a clinician then examines strength,
sensation and reflexes to be sure.

## When weakness is a warning

A foot that is weak and getting weaker over hours or days, or weakness in both legs, needs
prompt medical attention. With bladder or bowel changes or numbness in the saddle area, it is
an emergency.
""",
        "faq": [
            (
                "What is foot drop?",
                "Foot drop means difficulty lifting the front of the foot, so the toes catch or "
                "the foot slaps down when you walk. It can come from pressure on the L5 root and "
                "should always be checked by a clinician.",
            ),
            (
                "Can I have both an L5 and an S1 pattern?",
                "Yes. A disc at L5-S1 or L4-L5 can irritate more than one root, and the symptoms "
                "then mix.",
            ),
        ],
        "es": {
            "title": "¿L5 o S1? En qué se diferencian los dos patrones de raíz nerviosa",
            "summary": (
                "Las raíces nerviosas L5 y S1 están una al lado de la otra, pero llegan a partes "
                "distintas de la pierna. Saber dónde está el adormecimiento y qué movimientos "
                "están débiles ayuda a su médico a saber qué raíz está irritada, aunque solo la "
                "exploración puede confirmarlo."
            ),
            "takeaways": [
                "L5: empeine, cara externa de la espinilla y dedo gordo; debilidad para levantar "
                "el pie o los dedos.",
                "S1: planta y borde externo del pie, y la pantorrilla; poca fuerza para ponerse de "
                "puntillas.",
                "Un reflejo del tobillo disminuido orienta hacia S1, pero solo se ve en la "
                "exploración.",
                "Las dos raíces pueden estar afectadas a la vez y los patrones varían de una "
                "persona a otra.",
            ],
            "body": """
## Dos vecinas con tareas distintas

Cada raíz nerviosa lleva la sensibilidad de una franja de piel (un *dermatoma*) y mueve un grupo
de músculos (un *miotoma*). Como L5 y S1 llegan a franjas y músculos distintos, sus síntomas
suelen aparecer en lugares diferentes.

| | Patrón L5 | Patrón S1 |
|---|---|---|
| Dónde se siente el dolor o el adormecimiento | Cara externa de la pierna, empeine, a menudo el dedo gordo | Pantorrilla, planta del pie, borde externo del pie |
| Músculos que pueden estar débiles | Levantar el pie y los dedos | Empujar el pie hacia abajo, ponerse de puntillas |
| Lo que puede notar | El pie golpea o se traba al caminar (pie caído), cuesta caminar sobre los talones | Poco impulso al caminar, cuesta caminar de puntillas |
| Reflejo que revisa el médico | Suele ser normal | El reflejo del tobillo puede estar disminuido o ausente |

## Lo que puede notar en casa

Caminar unos pasos sobre los talones y luego de puntillas puede mostrar qué lado está más débil.
Hágalo solo junto a una pared o una silla para apoyarse, y pare si le duele. Un cambio que note es
algo para contarle a su médico, no un diagnóstico.

## Por qué los patrones no siempre son claros

Los mapas de los nervios varían un poco entre personas, y un mismo disco puede tocar las dos
raíces. Por eso un cuestionario de síntomas solo dice con qué patrón son *compatibles* sus
respuestas, y después un médico revisa la fuerza, la sensibilidad y los reflejos.

## Cuando la debilidad es una señal de alarma

Un pie débil que empeora en horas o días, o la debilidad en las dos piernas, necesita atención
médica pronta. Si además hay cambios en la vejiga o el intestino o adormecimiento en la zona de
la silla de montar, es una emergencia.
""",
            "faq": [
                (
                    "¿Qué es el pie caído?",
                    "Es la dificultad para levantar la parte delantera del pie, de modo que los "
                    "dedos se traban o el pie golpea el suelo al caminar. Puede deberse a la "
                    "presión sobre la raíz L5 y siempre debe revisarla un médico.",
                ),
                (
                    "¿Puedo tener a la vez un patrón L5 y uno S1?",
                    "Sí. Un disco en L5-S1 o en L4-L5 puede irritar más de una raíz, y entonces "
                    "los síntomas se mezclan.",
                ),
            ],
        },
    },
    {
        "slug": "cauda-equina-emergency-warning-signs",
        "title": "Emergency warning signs: when back and leg pain needs care now",
        "category": "emergency",
        "author": "priya-raman",
        "reviewer": "nadia-brennan",
        "published": "2026-01-20",
        "last_reviewed": "2026-09-02",
        "red_flags": True,
        "emergency_guide": True,
        "sort_order": 1,
        "tags": ["warning-signs", "urgency-emergency", "urgency-urgent"],
        "related": [
            "l5-s1-nerve-damage-symptoms",
            "surgical-options-for-l5-s1",
            "how-l5-s1-problems-are-diagnosed",
        ],
        "summary": (
            "Rarely, a disc or another problem in the lower spine squeezes the bundle of nerves "
            "that controls the bladder, bowel and legs. This is called cauda equina syndrome. It "
            "needs emergency care within hours, so it is worth knowing the signs."
        ),
        "takeaways": [
            "New difficulty passing urine, or loss of bladder or bowel control, is an emergency.",
            "Numbness in the groin, buttocks or inner thighs (saddle area) is an emergency.",
            "Leg weakness or numbness that worsens by the hour, or weakness in both legs that keeps "
            "getting worse, is an emergency.",
            "Do not wait for a clinic appointment: call the emergency number or go to the ER.",
            "Fever, cancer history, recent injury or weight loss with back pain: same-day review.",
        ],
        "body": """
## What cauda equina syndrome is

Below the end of the spinal cord, the nerve roots for the legs, bladder, bowel and sexual
function run down the spinal canal together. Their bundle looks like a horse's tail, *cauda
equina* in Latin. If something fills the canal and presses on the whole bundle (most often a
large disc herniation), these functions can be damaged. Treatment within hours gives the best
chance of recovery.

## Signs that need emergency care now

- **Bladder changes:** new difficulty starting to pass urine, a weak stream, not feeling when
  the bladder is full, or leaking without warning.
- **Bowel changes:** new loss of control, or not feeling that you need to go.
- **Saddle numbness:** reduced feeling in the groin, genitals, buttocks or inner thighs, for
  example when wiping after the toilet.
- **Weakness or numbness getting worse by the hour** in one or both legs, or being unable to
  stand or walk because a leg gives way.
- **Weakness in both legs that is getting worse.**
- **New sexual dysfunction**, such as loss of sensation, together with back or leg pain.

If you notice any of these, go to an emergency department or call the emergency number. Say
that you have back pain with these symptoms and are worried about cauda equina syndrome.

## Signs that need a clinician the same day

Back pain with fever or chills, feeling generally unwell, a past or current cancer, a recent
fall or accident, unexplained weight loss, a weakened immune system, or injecting drug use can
point to an infection, a fracture or another serious cause. So can pain or weakness in both
legs that is not getting worse, leg weakness or numbness that worsens over days rather than
hours, and bladder, bowel or saddle symptoms that have been there, unchanged, for weeks. Call
your doctor or the clinic the same day; if you cannot reach anyone, use urgent care.

## What to expect at the hospital

The team will ask about your symptoms, examine sensation, strength and reflexes, check how well
the bladder empties, and usually arrange an urgent MRI scan. If the nerves are being squeezed,
an operation to relieve the pressure is usually done as soon as possible.
""",
        "faq": [
            (
                "Is cauda equina syndrome common?",
                "No, it is rare. But because the damage can be permanent if treatment is late, "
                "every patient with back or leg pain should know the warning signs.",
            ),
            (
                "I only have slight saddle numbness. Can I wait until Monday?",
                "No. Even mild new numbness in the saddle area, or a new change in bladder "
                "control, should be checked in an emergency department the same day.",
            ),
            (
                "Will the portal alert the clinic if I report these signs?",
                "When the questionnaire picks up a warning sign it shows emergency advice at "
                "once and alerts clinic staff, but do not wait for a call: seek emergency care "
                "yourself.",
            ),
        ],
        "es": {
            "title": "Señales de alarma: cuándo el dolor de espalda y pierna necesita atención "
            "inmediata",
            "summary": (
                "En raras ocasiones, un disco u otro problema en la parte baja de la columna "
                "comprime el conjunto de nervios que controla la vejiga, el intestino y las "
                "piernas. Esto se llama síndrome de cola de caballo. Requiere atención de "
                "emergencia en pocas horas, por eso conviene conocer las señales."
            ),
            "takeaways": [
                "Una dificultad nueva para orinar o la pérdida del control de la vejiga o del "
                "intestino es una emergencia.",
                "El adormecimiento en la ingle, los glúteos o la cara interna de los muslos (zona "
                "de la silla de montar) es una emergencia.",
                "La debilidad o el adormecimiento de las piernas que empeora de hora en hora, o "
                "la debilidad de las dos piernas que sigue empeorando, es una emergencia.",
                "No espere una cita en la clínica: llame al número de emergencias o vaya a "
                "urgencias.",
                "Fiebre, antecedentes de cáncer, una lesión reciente o pérdida de peso junto con "
                "dolor de espalda: consulta el mismo día.",
            ],
            "body": """
## Qué es el síndrome de cola de caballo

Por debajo del final de la médula espinal, las raíces nerviosas de las piernas, la vejiga, el
intestino y la función sexual bajan juntas por el canal de la columna. Ese conjunto parece la
cola de un caballo. Si algo llena el canal y presiona todo el conjunto (casi siempre una hernia
de disco grande), estas funciones pueden dañarse. El tratamiento en pocas horas da la mejor
posibilidad de recuperación.

## Señales que necesitan atención de emergencia ahora

- **Cambios en la vejiga:** dificultad nueva para empezar a orinar, chorro débil, no sentir que
  la vejiga está llena o escapes de orina sin aviso.
- **Cambios en el intestino:** pérdida nueva del control o no sentir la necesidad de ir al baño.
- **Adormecimiento en la zona de la silla de montar:** menos sensibilidad en la ingle, los
  genitales, los glúteos o la cara interna de los muslos, por ejemplo al limpiarse.
- **Debilidad o adormecimiento que empeora de hora en hora** en una o las dos piernas, o no poder
  estar de pie o caminar porque la pierna falla.
- **Debilidad en las dos piernas que va empeorando.**
- **Un problema sexual nuevo**, como la pérdida de sensibilidad en los genitales, junto con dolor
  de espalda o de pierna.

Si nota cualquiera de estas señales, vaya a urgencias o llame al número de emergencias. Diga que
tiene dolor de espalda con estos síntomas y que le preocupa un síndrome de cola de caballo.

## Señales que necesitan un médico el mismo día

El dolor de espalda con fiebre o escalofríos, sentirse mal en general, un cáncer actual o pasado,
una caída o un accidente reciente, una pérdida de peso sin explicación, las defensas bajas o el
uso de drogas inyectadas pueden indicar una infección, una fractura u otra causa grave. También el
dolor o la debilidad en las dos piernas que no empeora, la debilidad o el adormecimiento de las
piernas que empeora en días y no en horas, y los síntomas de vejiga, intestino o zona de la silla
de montar que llevan semanas sin cambios. Llame a su médico o a la clínica el mismo día; si no
localiza a nadie, acuda a un centro de atención urgente.

## Qué esperar en el hospital

El equipo le preguntará por sus síntomas, revisará la sensibilidad, la fuerza y los reflejos,
comprobará si la vejiga se vacía bien y normalmente pedirá una resonancia magnética urgente. Si
los nervios están comprimidos, se suele operar lo antes posible para liberar la presión.
""",
            "faq": [
                (
                    "¿Es frecuente el síndrome de cola de caballo?",
                    "No, es raro. Pero como el daño puede ser permanente si el tratamiento llega "
                    "tarde, toda persona con dolor de espalda o de pierna debería conocer las "
                    "señales de alarma.",
                ),
                (
                    "Solo tengo un poco de adormecimiento en la zona de la silla de montar. "
                    "¿Puedo esperar hasta el lunes?",
                    "No. Incluso un adormecimiento leve y nuevo en esa zona, o un cambio nuevo en "
                    "el control de la vejiga, debe revisarse en urgencias el mismo día.",
                ),
                (
                    "¿El portal avisa a la clínica si indico estas señales?",
                    "Cuando el cuestionario detecta una señal de alarma muestra enseguida consejos "
                    "de emergencia y avisa al personal de la clínica, pero no espere una llamada: "
                    "busque atención de emergencia usted mismo.",
                ),
            ],
        },
    },
    {
        "slug": "how-l5-s1-problems-are-diagnosed",
        "title": "How L5-S1 nerve problems are diagnosed",
        "category": "diagnosis",
        "author": "samuel-okafor",
        "reviewer": "mateo-alvarado",
        "published": "2026-03-02",
        "last_reviewed": "2026-07-21",
        "red_flags": True,
        "sort_order": 30,
        "tags": [
            "diagnosis",
            "nerve-root-pain",
            "pattern-l5-s1",
            "pattern-unspecified",
            "pattern-none",
            "urgency-soon",
            "urgency-urgent",
        ],
        "related": [
            "l5-vs-s1-nerve-patterns",
            "conservative-treatment-for-sciatica",
            "l4-l5-vs-l5-s1",
        ],
        "summary": (
            "Diagnosis starts with your story and a careful examination of strength, feeling and "
            "reflexes. Scans are useful in some cases, but many people with typical nerve-root "
            "pain do not need one straight away."
        ),
        "takeaways": [
            "Your description of the pain and a hands-on examination come first.",
            "Heel and tiptoe walking, reflexes and the straight-leg-raise test guide the exam.",
            "MRI is the main scan for discs and nerves; X-rays show bones and alignment.",
            "Early imaging is for warning signs, severe weakness, or pain that is not improving.",
        ],
        "body": """
## Your history

Your clinician will ask where the pain starts and travels, when it began, what makes it better
or worse, and whether you have numbness, weakness, or bladder and bowel changes. They will also
ask about general health questions that can point to other causes, such as fever, weight loss,
cancer or a recent injury.

## The examination

- **Strength** of the muscles that lift and push down the foot and toes, including walking on
  the heels (L5) and on tiptoe (S1).
- **Sensation** to light touch or a pin on the foot and lower leg, to map the affected strip.
- **Reflexes** at the knee and ankle; a reduced ankle reflex suggests S1 involvement.
- **The straight-leg-raise test**: lying on your back, the clinician slowly lifts your straight
  leg. Leg pain below the knee between roughly 30 and 70 degrees suggests an irritated root.

## Imaging and other tests

- **MRI** shows discs, nerve roots and the spinal canal without radiation. It is the usual scan
  when symptoms are severe, when a procedure is being planned, or when warning signs are present.
- **X-rays** show bones, alignment and the height of the disc spaces, and can show instability
  when taken while you bend.
- **CT** is used when MRI is not possible, for example with some implants.
- **Nerve tests (EMG)** measure how nerves and muscles work and can help when the picture is
  unclear.

Scans often show disc bulges in people with no pain at all, so results are always read together
with your symptoms and examination.

## What happens with warning signs

Bladder or bowel changes, saddle numbness or fast-worsening weakness skip the usual steps: they
need emergency assessment and an urgent MRI the same day.
""",
        "faq": [
            (
                "Do I need an MRI right away?",
                "Not usually. Without warning signs, many people improve within a few weeks, and "
                "an early scan rarely changes the first treatment. Your clinician will suggest "
                "one if symptoms are severe, persistent, or a procedure is being considered.",
            ),
            (
                "My MRI shows several bulging discs. Are they all causing my pain?",
                "Probably not. Disc bulges are common with age, even without symptoms. The "
                "clinician matches the scan to your symptoms and examination to find the one that "
                "matters.",
            ),
        ],
    },
    {
        "slug": "conservative-treatment-for-sciatica",
        "title": "Conservative treatment for L5-S1 nerve pain",
        "category": "conservative",
        "author": "jordan-ellery",
        "reviewer": "samuel-okafor",
        "published": "2026-03-16",
        "last_reviewed": "2026-06-30",
        "sort_order": 40,
        "tags": [
            "treatment-options",
            "sciatica",
            "pattern-l5",
            "pattern-s1",
            "pattern-l5-s1",
            "pattern-unspecified",
            "urgency-routine",
            "urgency-soon",
        ],
        "related": [
            "epidural-steroid-injections",
            "how-l5-s1-problems-are-diagnosed",
            "l5-s1-nerve-damage-symptoms",
        ],
        "summary": (
            "Most people with nerve-root pain from the lower back get better without surgery. "
            "Conservative care combines staying active, physical therapy, medication and, for "
            "some, chiropractic care or an injection, to calm the nerve while it recovers."
        ),
        "takeaways": [
            "Staying gently active usually helps more than bed rest.",
            "Physical therapy teaches movements that ease leg pain and rebuild strength.",
            "Anti-inflammatory medicines can help; ask which ones are safe for you.",
            "Improvement over 6 to 12 weeks is common; tell your clinician if it stalls.",
        ],
        "body": """
## The first weeks

Pain from an irritated nerve root often peaks in the first days and then settles slowly. Keep
moving within your limits: short walks, changing position often, and avoiding long spells of
sitting. Heat or cold packs can ease muscle spasm.

## Physical therapy

A physical therapist looks at which movements centralise the pain (draw it back from the leg
towards the back) and which aggravate it, then builds a programme around them: gentle nerve
mobility exercises, core and hip strengthening, posture and lifting advice. Most programmes run
for several weeks with exercises you do at home between visits.

## Chiropractic care

Spinal manipulation and mobilisation from a licensed chiropractor can help some people with
back and leg pain, usually as part of an active exercise plan. Tell the chiropractor about any
weakness or numbness before treatment.

## Medication

- **Anti-inflammatory medicines (NSAIDs)** such as ibuprofen or naproxen can reduce pain for a
  short period. They are not safe for everyone, for example with stomach ulcers, kidney disease
  or some heart conditions.
- **Nerve pain medicines** are sometimes tried for burning or electric pain.
- **Muscle relaxants** may help spasm for a few days.

Your clinician will go through what suits you and for how long.

## Epidural steroid injections

When leg pain is strong enough to block your recovery, an epidural steroid injection can calm
the inflamed nerve so you can keep up with therapy. See
[epidural steroid injections](/education/epidural-steroid-injections/).

## When to think again

If pain is not clearly improving after about 6 weeks, if it is unbearable, or if weakness
appears or worsens, book a review. The next steps may include a scan, an injection, a
minimally invasive procedure or a surgical opinion.
""",
        "faq": [
            (
                "How long should I try physical therapy before anything else?",
                "Many clinicians suggest about 6 weeks of active conservative care before moving "
                "on, unless pain is severe, weakness is worsening, or warning signs appear.",
            ),
            (
                "Is it safe to exercise with sciatica?",
                "Yes, with the right exercises. Movements that reduce leg pain are usually good; "
                "stop any that make leg pain or numbness spread further down the leg.",
            ),
            (
                "Which locations offer chiropractic care?",
                "Chiropractic care is offered at our Lawrenceville location. Physical therapy and "
                "medication management are available at every location.",
            ),
        ],
    },
    {
        "slug": "epidural-steroid-injections",
        "title": "Epidural steroid injections for leg pain: what to expect",
        "category": "conservative",
        "author": "priya-raman",
        "reviewer": "nadia-brennan",
        "published": "2026-04-06",
        "last_reviewed": "2026-08-03",
        "sort_order": 50,
        "tags": [
            "injections",
            "treatment-options",
            "pattern-l5",
            "pattern-s1",
            "pattern-l5-s1",
            "urgency-soon",
        ],
        "related": [
            "conservative-treatment-for-sciatica",
            "discseel-procedure-candidacy",
            "radiofrequency-ablation-and-spinal-cord-stimulation",
        ],
        "summary": (
            "An epidural steroid injection places an anti-inflammatory medicine close to an "
            "irritated nerve root. It does not fix a disc, but it can calm leg pain enough for "
            "you to move, sleep and do your exercises."
        ),
        "takeaways": [
            "The injection is guided by live X-ray and usually takes 15 to 30 minutes.",
            "Relief often starts within a few days and can last weeks to months.",
            "It works best for leg pain from an irritated nerve root, alongside therapy.",
            "The number of injections per year is limited to keep steroid exposure low.",
        ],
        "body": """
## What the injection does

Disc material that touches a nerve root causes inflammation as well as pressure. A
corticosteroid placed in the epidural space, next to the root, reduces that inflammation. The
disc itself is unchanged, so the aim is to relieve pain while the body heals and while you keep
up with physical therapy.

## How it is done

1. You lie on your front on the procedure table. The skin is cleaned and numbed.
2. Using live X-ray (fluoroscopy), the physician guides a thin needle to the right level,
   often through the opening where the L5 or S1 root leaves the spine (a transforaminal
   approach).
3. A little contrast dye confirms the spread, then the steroid and a local anaesthetic are
   injected.
4. You rest for a short time and go home the same day with someone to drive you.

## After the injection

The leg may feel numb or heavy for a few hours. Pain can briefly increase before the steroid
starts working after two to seven days. Keep a pain diary so you can tell your clinician how
much and how long it helped.

## Risks

Serious problems are uncommon. Possible side effects include a short rise in pain, flushing,
trouble sleeping, a temporary rise in blood sugar in people with diabetes, headache, and, rarely,
infection, bleeding or nerve injury. Tell the team if you take blood thinners, have diabetes,
an infection, or might be pregnant.

## Who it suits

People whose leg pain from a nerve root has not settled with a few weeks of conservative care,
or whose pain is so strong it keeps them from therapy, are the usual candidates.
""",
        "faq": [
            (
                "Does the injection hurt?",
                "The skin is numbed first, so most people feel pressure and a short, familiar "
                "pain in the leg when the medicine reaches the nerve. It passes quickly.",
            ),
            (
                "How many injections can I have?",
                "Most clinics limit steroid injections to a few a year. If one gives little "
                "relief, repeating it is unlikely to help and other options are discussed.",
            ),
            (
                "Can I drive myself home?",
                "No. Please bring someone to drive you, because the leg can feel numb or weak for "
                "a few hours.",
            ),
        ],
    },
    {
        "slug": "discseel-procedure-candidacy",
        "title": "The Discseel procedure: how it works and who may be a candidate",
        "category": "minimally_invasive",
        "author": "samuel-okafor",
        "reviewer": "nadia-brennan",
        "published": "2026-04-27",
        "last_reviewed": "2026-09-15",
        "sort_order": 60,
        "locations": ["lawrenceville-nj", "houston-tx"],
        "tags": [
            "treatment-options",
            "degenerative-disc-disease",
            "herniated-disc",
            "pattern-l5-s1",
            "pattern-unspecified",
            "urgency-routine",
        ],
        "related": [
            "epidural-steroid-injections",
            "surgical-options-for-l5-s1",
            "radiofrequency-ablation-and-spinal-cord-stimulation",
        ],
        "summary": (
            "The Discseel procedure is an outpatient injection of a biologic fibrin sealant into a "
            "damaged disc, meant to seal tears in its outer wall. Whether it suits you depends on "
            "your symptoms, scans and tests, assessed at a candidacy evaluation."
        ),
        "takeaways": [
            "It is a needle-based outpatient procedure, not an open operation.",
            "The sealant is made from proteins found in blood and is absorbed over time.",
            "It is meant for pain from torn or leaking discs, not for every back problem.",
            "Suitability is decided at a candidacy evaluation with a review of your MRI.",
            "It is newer than the other options; ask about the evidence and insurance cover.",
        ],
        "body": """
## The idea behind it

A disc has a tough outer ring and a softer centre. Tears in the ring can let inflammatory
material leak onto nearby nerves and can make the disc itself painful. In the Discseel
procedure, a fibrin sealant, a substance made from proteins that the body uses to form clots,
is injected into the disc to coat and seal those tears. Over the following months the sealant
is replaced by the body's own tissue.

## How the procedure goes

Under local anaesthetic and light sedation, the physician uses live X-ray guidance to place a
thin needle into the affected disc or discs. Dye is often injected first to show where the
disc leaks. The sealant is then injected, the needle removed, and you go home the same day.
Recovery is gradual: many people notice change over weeks to months, during which a guided
activity plan is followed.

## Who may be a candidate

People who may be suitable usually have:

- back pain, with or without leg pain, that has lasted several months despite conservative care;
- an MRI and examination that point to one or more damaged discs as the source;
- no warning signs, severe or worsening weakness, infection, or major instability of the spine.

People with a large herniation pressing hard on a nerve, severe narrowing of the spinal canal
or progressive weakness are usually better served by other treatments.

## The candidacy evaluation

You can book a *Discseel candidacy evaluation* at either location. The physician reviews your
history and examines you, goes through your MRI (bring the images and report if you have them),
and explains whether the procedure, another treatment, or more tests make sense. It is also the
time to talk about the evidence, the expected recovery and cost, as insurance cover varies.
""",
        "faq": [
            (
                "Is the Discseel procedure surgery?",
                "No. It is an outpatient injection through a needle, guided by X-ray, and does "
                "not remove any tissue.",
            ),
            (
                "How soon will I feel better?",
                "Change is usually gradual, over several weeks to a few months. Your physician "
                "will give you an activity plan for that period.",
            ),
            (
                "Is it covered by insurance?",
                "Coverage varies between plans and is often limited. Our team can help you check "
                "before you decide.",
            ),
        ],
    },
    {
        "slug": "radiofrequency-ablation-and-spinal-cord-stimulation",
        "title": "Radiofrequency ablation and spinal cord stimulation for long-lasting pain",
        "category": "minimally_invasive",
        "author": "priya-raman",
        "reviewer": "mateo-alvarado",
        "published": "2026-05-11",
        "last_reviewed": "2026-05-11",
        "sort_order": 70,
        "tags": [
            "treatment-options",
            "pattern-none",
            "pattern-unspecified",
            "urgency-routine",
        ],
        "related": [
            "epidural-steroid-injections",
            "discseel-procedure-candidacy",
            "surgical-options-for-l5-s1",
        ],
        "summary": (
            "When back or leg pain lasts for months despite other care, two minimally invasive "
            "treatments may help: radiofrequency ablation quiets small nerves that carry joint "
            "pain, and spinal cord stimulation changes how pain signals reach the brain."
        ),
        "takeaways": [
            "Radiofrequency ablation (RFA) treats pain from the small facet joints of the spine.",
            "Test injections (nerve blocks) come first to show whether RFA is likely to help.",
            "Spinal cord stimulation is tried for about a week before a permanent implant.",
            "Both aim to reduce pain and improve activity; neither cures the underlying change.",
        ],
        "body": """
## Radiofrequency ablation

The facet joints link the vertebrae at the back of the spine. When they are worn or inflamed
they can cause aching back pain that may spread to the buttock. Small *medial branch* nerves
carry that pain.

- **First, test blocks.** A small amount of numbing medicine is placed next to those nerves. If
  your usual pain eases clearly for a few hours, the joints are probably the source.
- **Then, ablation.** Under X-ray guidance, a special needle heats the nerve with radiofrequency
  energy so it stops carrying pain signals. It is an outpatient procedure.
- **Results.** Relief often lasts 6 to 12 months or longer. The nerves grow back over time and
  the treatment can be repeated.

RFA does not treat nerve-root pain from a disc, so it is not a first choice for sciatica.

## Spinal cord stimulation

A spinal cord stimulator sends mild electrical pulses to the spinal cord through thin leads
placed in the epidural space. The pulses change how pain signals are processed; modern devices
often work without a tingling sensation.

- **Who it may suit:** people with long-lasting leg or back pain, for example persistent pain
  after spine surgery, who have tried other treatments.
- **A trial first:** temporary leads are placed with needles and connected to an external
  battery for about 5 to 7 days. You record how much your pain and activity change.
- **The implant:** if the trial helps enough (often at least half the pain), a small battery is
  placed under the skin in a short procedure.

## Which one might fit

The two treatments answer different problems. Aching back pain that comes from the facet joints
and improves clearly with test blocks points towards radiofrequency ablation. Burning or
shooting leg pain that has lasted for months, especially after surgery, is where spinal cord
stimulation is more often discussed. Some people are suited to neither and do better with
other care.

Before either treatment, the team makes sure there is no serious cause that needs other care.
A psychological assessment is a routine step before a stimulator trial, because long-lasting
pain affects sleep, mood and coping, and these shape how much a device can help.
""",
        "faq": [
            (
                "Is radiofrequency ablation painful?",
                "The skin and tissue are numbed first. Some people have soreness for one to two "
                "weeks afterwards while the treated area settles.",
            ),
            (
                "Can I have an MRI with a spinal cord stimulator?",
                "Many current systems allow MRI under specific conditions. Always tell the MRI "
                "team you have a stimulator and bring your device card.",
            ),
        ],
    },
    {
        "slug": "surgical-options-for-l5-s1",
        "title": "Surgical options for L5-S1 disc and nerve problems",
        "category": "surgical",
        "author": "samuel-okafor",
        "reviewer": "nadia-brennan",
        "published": "2026-06-01",
        "last_reviewed": "2026-06-01",
        "red_flags": True,
        "sort_order": 80,
        "tags": [
            "surgery",
            "treatment-options",
            "herniated-disc",
            "pattern-l5",
            "pattern-s1",
            "pattern-l5-s1",
            "urgency-urgent",
            "urgency-soon",
        ],
        "related": [
            "cauda-equina-emergency-warning-signs",
            "conservative-treatment-for-sciatica",
            "discseel-procedure-candidacy",
        ],
        "summary": (
            "Most people with L5-S1 nerve pain never need surgery. It is considered when pain or "
            "weakness persists despite good conservative care, when weakness is severe or "
            "worsening, and urgently for cauda equina syndrome. Our physicians refer to spine "
            "surgeons when surgery is the right step."
        ),
        "takeaways": [
            "Surgery is for persistent, severe or worsening symptoms, not for a scan alone.",
            "Microdiscectomy removes the disc fragment pressing on the nerve.",
            "Decompression (laminectomy) makes more room for nerves in a narrowed canal.",
            "Fusion joins vertebrae and is reserved for instability or some deformities.",
            "Cauda equina syndrome is treated with emergency surgery.",
        ],
        "body": """
## When surgery is considered

- Leg pain from a nerve root that stays disabling after about 6 to 12 weeks of good
  conservative care.
- Weakness that is severe or getting worse, such as a progressive foot drop.
- Cauda equina syndrome, which needs emergency surgery, usually within hours.

A disc bulge on a scan without matching symptoms is not a reason for surgery.

## Minimally invasive discectomy

In a microdiscectomy the surgeon works through a small incision, using a microscope or an
endoscope, to remove the piece of disc that presses on the nerve. Leg pain often improves
quickly. Most people go home the same or the next day and return to light activity within a few
weeks. A disc can herniate again at the same level in a minority of people.

## Decompression

When the canal or the nerve openings are narrowed by bone spurs, thickened ligaments and a
bulging disc (stenosis), a laminectomy or foraminotomy removes part of the bone or ligament to
give the nerves more room.

## Spinal fusion

Fusion joins two or more vertebrae with bone graft and usually screws and rods, so that the
segment no longer moves. It is considered for a slipped vertebra (spondylolisthesis), an
unstable segment or some deformities, rather than for a simple herniation. Recovery takes
longer than after a discectomy.

## How referral works

Our physicians do not operate; they refer you to a spine surgeon when surgery is reasonable,
send your records, and continue your non-surgical care before and after.
""",
        "faq": [
            (
                "Will surgery fix my back pain as well as my leg pain?",
                "Discectomy is mainly for leg pain from a compressed nerve and tends to help it "
                "most. Back pain may improve less predictably.",
            ),
            (
                "Is waiting for surgery risky?",
                "For most people with stable symptoms, trying conservative care first is safe. "
                "Worsening weakness or warning signs change that and need prompt review.",
            ),
        ],
    },
    {
        "slug": "l4-l5-vs-l5-s1",
        "title": "L4-L5 or L5-S1: how problems at the two lowest discs compare",
        "category": "conditions",
        "author": "jordan-ellery",
        "reviewer": "mateo-alvarado",
        "published": "2025-08-18",
        "last_reviewed": "2025-08-18",
        "sort_order": 90,
        "tags": [
            "herniated-disc",
            "degenerative-disc-disease",
            "nerve-root-pain",
            "pattern-l5",
            "pattern-unspecified",
            "urgency-routine",
        ],
        "related": [
            "l5-vs-s1-nerve-patterns",
            "how-l5-s1-problems-are-diagnosed",
            "conservative-treatment-for-sciatica",
        ],
        "summary": (
            "The two lowest discs of the spine, L4-L5 and L5-S1, take the most strain and are "
            "where most lower back disc problems happen. Which nerve is affected depends on the "
            "level and on where the disc bulges."
        ),
        "takeaways": [
            "L4-L5 and L5-S1 are the most common levels for herniated and worn discs.",
            "An L4-L5 herniation usually irritates the L5 root; L5-S1 usually the S1 root.",
            "A disc bulging out to the side can affect the root above instead.",
            "Treatment options are largely the same for both levels.",
        ],
        "body": """
## Two busy levels

The L4-L5 disc sits between the fourth and fifth lumbar vertebrae; the L5-S1 disc sits between
the fifth lumbar vertebra and the sacrum. Together they carry most of the bending and twisting
of the lower back, so they wear and herniate more often than the discs above.

## Which nerve is affected

A typical herniation bulges backwards and to one side, pressing on the nerve root that is on
its way to exit one level lower:

- **L4-L5 herniation:** usually the **L5** root, with pain down the outer leg into the top of
  the foot and possible weakness lifting the foot.
- **L5-S1 herniation:** usually the **S1** root, with pain into the calf and sole and possible
  weakness rising onto the toes.

A herniation far out to the side (foraminal) catches the root exiting at that level instead,
for example L4 from an L4-L5 disc, giving pain at the front of the thigh and knee.

## Degeneration and stenosis

Wear at either level can narrow the spaces around the nerves and cause pain in the legs when
standing or walking that eases when sitting or bending forward. At L4-L5 a forward slip of the
vertebra (degenerative spondylolisthesis) is more frequent.

## What it means for treatment

The level matters for planning an injection or an operation, but the overall approach is the
same: conservative care first for most people, injections or minimally invasive options when
recovery stalls, and surgery for persistent, severe or worsening symptoms.
""",
        "faq": [
            (
                "Can both discs be damaged at the same time?",
                "Yes. Wear often affects neighbouring discs, and the scan is matched with your "
                "symptoms to see which one is causing trouble.",
            ),
            (
                "Is one level more serious than the other?",
                "Not as a rule. How much the nerve is compressed and how you are doing matter "
                "more than the level itself.",
            ),
        ],
    },
]
