"""Spanish translations of the demo articles that ``demo_content`` gives in English only, keyed by
article slug (same shape as an article's ``"es"`` entry). Written for patients in plain Spanish,
following the English text section by section; like every article they need a clinician's
review before real use. ``education.demo`` merges them in."""

TRANSLATIONS = {
    "how-l5-s1-problems-are-diagnosed": {
        "title": "Cómo se diagnostican los problemas de los nervios L5-S1",
        "summary": (
            "El diagnóstico empieza por lo que usted cuenta y por una exploración cuidadosa de la "
            "fuerza, la sensibilidad y los reflejos. Las pruebas de imagen ayudan en algunos "
            "casos, pero muchas personas con un dolor típico de raíz nerviosa no necesitan una "
            "de inmediato."
        ),
        "takeaways": [
            "Primero van su descripción del dolor y una exploración física.",
            "Caminar sobre los talones y de puntillas, los reflejos y la prueba de elevación de "
            "la pierna recta orientan la exploración.",
            "La resonancia magnética es la prueba principal para ver discos y nervios; las "
            "radiografías muestran los huesos y su alineación.",
            "Las imágenes tempranas se reservan para las señales de alarma, la debilidad "
            "importante o el dolor que no mejora.",
        ],
        "body": """
## Su historia clínica

Su médico le preguntará dónde empieza el dolor y hacia dónde se extiende, cuándo comenzó, qué
lo alivia o lo empeora, y si tiene adormecimiento, debilidad o cambios al orinar o al defecar.
También le hará preguntas sobre su salud general que pueden apuntar a otras causas, como fiebre,
pérdida de peso, cáncer o una lesión reciente.

## La exploración física

- **Fuerza** de los músculos que levantan y empujan hacia abajo el pie y los dedos, incluido
  caminar sobre los talones (L5) y de puntillas (S1).
- **Sensibilidad** al tacto suave o a un pinchazo en el pie y la parte baja de la pierna, para
  localizar la franja afectada.
- **Reflejos** de la rodilla y del tobillo; un reflejo del tobillo disminuido sugiere que está
  afectada la raíz S1.
- **La prueba de elevación de la pierna recta**: acostado boca arriba, el médico levanta
  despacio su pierna estirada. Si aparece dolor en la pierna por debajo de la rodilla entre unos
  30 y 70 grados, sugiere una raíz irritada.

## Pruebas de imagen y otras pruebas

- **La resonancia magnética (RM)** muestra los discos, las raíces nerviosas y el canal de la
  columna sin radiación. Es la prueba habitual cuando los síntomas son intensos, cuando se
  planea un procedimiento o cuando hay señales de alarma.
- **Las radiografías** muestran los huesos, la alineación y la altura de los espacios entre
  discos, y pueden mostrar inestabilidad si se toman mientras usted se inclina.
- **La tomografía computarizada (TC)** se usa cuando no es posible hacer una resonancia, por
  ejemplo con algunos implantes.
- **Las pruebas de los nervios (electromiografía)** miden cómo funcionan los nervios y los
  músculos, y pueden ayudar cuando el cuadro no está claro.

Las imágenes muestran con frecuencia discos abultados en personas que no tienen ningún dolor,
por eso los resultados siempre se interpretan junto con sus síntomas y la exploración.

## Qué pasa si hay señales de alarma

Los cambios al orinar o al defecar, el adormecimiento en la zona de la silla de montar o una
debilidad que empeora rápido no siguen los pasos habituales: necesitan una evaluación de
urgencia y una resonancia urgente el mismo día.
""",
        "faq": [
            (
                "¿Necesito una resonancia magnética enseguida?",
                "Por lo general, no. Sin señales de alarma, muchas personas mejoran en pocas "
                "semanas, y una prueba temprana rara vez cambia el primer tratamiento. Su médico "
                "la pedirá si los síntomas son intensos o persistentes, o si se plantea un "
                "procedimiento.",
            ),
            (
                "Mi resonancia muestra varios discos abultados. ¿Todos causan mi dolor?",
                "Probablemente no. Los discos abultados son frecuentes con la edad, incluso sin "
                "síntomas. El médico compara la imagen con sus síntomas y la exploración para "
                "encontrar el que importa.",
            ),
        ],
    },
    "conservative-treatment-for-sciatica": {
        "title": "Tratamiento conservador del dolor de los nervios L5-S1",
        "summary": (
            "La mayoría de las personas con dolor de raíz nerviosa en la zona lumbar mejora sin "
            "cirugía. El tratamiento conservador combina mantenerse activo, la fisioterapia, los "
            "medicamentos y, en algunos casos, la quiropráctica o una inyección, para calmar el "
            "nervio mientras se recupera."
        ),
        "takeaways": [
            "Mantenerse activo con suavidad suele ayudar más que el reposo en cama.",
            "La fisioterapia enseña movimientos que alivian el dolor de la pierna y recuperan la "
            "fuerza.",
            "Los antiinflamatorios pueden ayudar; pregunte cuáles son seguros para usted.",
            "Es común mejorar en 6 a 12 semanas; avise a su médico si la mejoría se detiene.",
        ],
        "body": """
## Las primeras semanas

El dolor por una raíz nerviosa irritada suele ser más fuerte en los primeros días y después se
calma poco a poco. Siga moviéndose dentro de sus límites: caminatas cortas, cambiar de postura
con frecuencia y evitar pasar mucho tiempo sentado. El calor o el frío local pueden aliviar los
espasmos musculares.

## Fisioterapia

El fisioterapeuta observa qué movimientos centralizan el dolor (lo retiran de la pierna hacia la
espalda) y cuáles lo empeoran, y con eso prepara un programa: ejercicios suaves de movilidad del
nervio, fortalecimiento del abdomen y de la cadera, y consejos de postura y de cómo levantar
peso. La mayoría de los programas dura varias semanas, con ejercicios para hacer en casa entre
las visitas.

## Quiropráctica

La manipulación y la movilización de la columna por un quiropráctico con licencia pueden ayudar
a algunas personas con dolor de espalda y de pierna, por lo general como parte de un plan de
ejercicio activo. Antes del tratamiento, cuéntele al quiropráctico si tiene debilidad o
adormecimiento.

## Medicamentos

- **Los antiinflamatorios no esteroideos (AINE)**, como el ibuprofeno o el naproxeno, pueden
  reducir el dolor durante un tiempo corto. No son seguros para todos, por ejemplo con úlceras
  de estómago, enfermedad de los riñones o algunas enfermedades del corazón.
- **Los medicamentos para el dolor de los nervios** se prueban a veces para el dolor quemante o
  como una descarga eléctrica.
- **Los relajantes musculares** pueden ayudar con los espasmos durante unos días.

Su médico revisará con usted qué le conviene y durante cuánto tiempo.

## Inyecciones epidurales de esteroides

Cuando el dolor de la pierna es tan fuerte que le impide avanzar, una inyección epidural de
esteroides puede calmar el nervio inflamado para que pueda seguir con la terapia. Vea
[inyecciones epidurales de esteroides](/education/epidural-steroid-injections/).

## Cuándo replantearse el tratamiento

Si el dolor no mejora claramente después de unas 6 semanas, si es insoportable, o si aparece o
empeora la debilidad, pida una cita de revisión. Los siguientes pasos pueden incluir una prueba
de imagen, una inyección, un procedimiento mínimamente invasivo o la opinión de un cirujano.
""",
        "faq": [
            (
                "¿Cuánto tiempo debo hacer fisioterapia antes de probar otra cosa?",
                "Muchos médicos aconsejan unas 6 semanas de tratamiento conservador activo antes "
                "de pasar a otra opción, salvo que el dolor sea intenso, la debilidad empeore o "
                "aparezcan señales de alarma.",
            ),
            (
                "¿Es seguro hacer ejercicio con ciática?",
                "Sí, con los ejercicios adecuados. Los movimientos que reducen el dolor de la "
                "pierna suelen ser buenos; deje cualquiera que haga que el dolor o el "
                "adormecimiento bajen más por la pierna.",
            ),
            (
                "¿En qué sedes se ofrece quiropráctica?",
                "La quiropráctica se ofrece en nuestra sede de Lawrenceville. La fisioterapia y "
                "el control de la medicación están disponibles en todas las sedes.",
            ),
        ],
    },
    "epidural-steroid-injections": {
        "title": "Inyecciones epidurales de esteroides para el dolor de pierna: qué esperar",
        "summary": (
            "Una inyección epidural de esteroides coloca un medicamento antiinflamatorio cerca de "
            "una raíz nerviosa irritada. No repara el disco, pero puede calmar el dolor de la "
            "pierna lo suficiente para que usted pueda moverse, dormir y hacer sus ejercicios."
        ),
        "takeaways": [
            "La inyección se guía con rayos X en tiempo real y suele durar de 15 a 30 minutos.",
            "El alivio suele empezar en pocos días y puede durar de semanas a meses.",
            "Funciona mejor para el dolor de pierna por una raíz nerviosa irritada, junto con la "
            "terapia.",
            "El número de inyecciones al año es limitado para mantener baja la exposición a los "
            "esteroides.",
        ],
        "body": """
## Qué hace la inyección

Cuando el material del disco toca una raíz nerviosa, causa inflamación además de presión. Un
corticosteroide colocado en el espacio epidural, junto a la raíz, reduce esa inflamación. El
disco en sí no cambia, así que el objetivo es aliviar el dolor mientras el cuerpo se cura y
mientras usted sigue con la fisioterapia.

## Cómo se hace

1. Usted se acuesta boca abajo en la mesa del procedimiento. Se limpia la piel y se adormece
   con anestesia local.
2. Con rayos X en tiempo real (fluoroscopia), el médico guía una aguja fina hasta el nivel
   correcto, a menudo a través de la abertura por donde la raíz L5 o S1 sale de la columna
   (vía transforaminal).
3. Un poco de medio de contraste confirma hacia dónde se reparte el medicamento; después se
   inyectan el esteroide y un anestésico local.
4. Descansa un rato y vuelve a casa el mismo día, con alguien que lo lleve.

## Después de la inyección

La pierna puede sentirse adormecida o pesada durante unas horas. El dolor puede aumentar un poco
antes de que el esteroide haga efecto, entre dos y siete días después. Lleve un diario del dolor
para poder decirle a su médico cuánto le ayudó y durante cuánto tiempo.

## Riesgos

Los problemas graves son poco frecuentes. Los efectos secundarios posibles incluyen un aumento
breve del dolor, enrojecimiento de la cara, dificultad para dormir, una subida temporal del
azúcar en la sangre en personas con diabetes, dolor de cabeza y, rara vez, infección, sangrado
o lesión de un nervio. Avise al equipo si toma anticoagulantes, si tiene diabetes o una
infección, o si podría estar embarazada.

## Para quién es

Suelen ser candidatas las personas cuyo dolor de pierna por una raíz nerviosa no se ha calmado
con unas semanas de tratamiento conservador, o cuyo dolor es tan fuerte que no les deja hacer
la terapia.
""",
        "faq": [
            (
                "¿Duele la inyección?",
                "Primero se adormece la piel, así que la mayoría de las personas siente presión "
                "y un dolor breve y conocido en la pierna cuando el medicamento llega al nervio. "
                "Pasa enseguida.",
            ),
            (
                "¿Cuántas inyecciones me pueden poner?",
                "La mayoría de las clínicas limita las inyecciones de esteroides a unas pocas al "
                "año. Si una da poco alivio, es poco probable que repetirla ayude y se hablará "
                "de otras opciones.",
            ),
            (
                "¿Puedo manejar de regreso a casa?",
                "No. Venga con alguien que pueda llevarlo, porque la pierna puede sentirse "
                "adormecida o débil durante unas horas.",
            ),
        ],
    },
    "discseel-procedure-candidacy": {
        "title": "El procedimiento Discseel: cómo funciona y quién puede ser candidato",
        "summary": (
            "El procedimiento Discseel es una inyección ambulatoria de un sellador biológico de "
            "fibrina en un disco dañado, con el fin de sellar las roturas de su pared externa. Si "
            "es adecuado para usted depende de sus síntomas, sus imágenes y sus pruebas, y se "
            "valora en una evaluación de candidatura."
        ),
        "takeaways": [
            "Es un procedimiento ambulatorio con aguja, no una operación abierta.",
            "El sellador está hecho de proteínas que se encuentran en la sangre y el cuerpo lo "
            "absorbe con el tiempo.",
            "Está pensado para el dolor por discos rotos o con fugas, no para cualquier problema "
            "de espalda.",
            "La idoneidad se decide en una evaluación de candidatura en la que se revisa su "
            "resonancia.",
            "Es más reciente que las otras opciones; pregunte por la evidencia y la cobertura "
            "del seguro.",
        ],
        "body": """
## La idea detrás del procedimiento

Un disco tiene un anillo externo resistente y un centro más blando. Las roturas del anillo
pueden dejar salir material inflamatorio hacia los nervios cercanos y pueden hacer que el propio
disco duela. En el procedimiento Discseel se inyecta en el disco un sellador de fibrina, una
sustancia hecha de las proteínas que el cuerpo usa para formar coágulos, para cubrir y sellar
esas roturas. En los meses siguientes, el cuerpo reemplaza el sellador con su propio tejido.

## Cómo se hace

Con anestesia local y una sedación ligera, el médico usa rayos X en tiempo real para colocar una
aguja fina en el disco o los discos afectados. A menudo se inyecta primero un medio de contraste
para ver por dónde tiene fugas el disco. Después se inyecta el sellador, se retira la aguja y
usted vuelve a casa el mismo día. La recuperación es gradual: muchas personas notan cambios a lo
largo de semanas o meses, durante los cuales siguen un plan de actividad guiado.

## Quién puede ser candidato

Las personas que pueden ser adecuadas suelen tener:

- dolor de espalda, con o sin dolor de pierna, que dura varios meses a pesar del tratamiento
  conservador;
- una resonancia y una exploración que señalan uno o más discos dañados como origen del dolor;
- ninguna señal de alarma, ni debilidad importante o que empeora, ni infección, ni una
  inestabilidad importante de la columna.

A las personas con una hernia grande que presiona mucho un nervio, un estrechamiento importante
del canal de la columna o una debilidad que avanza, por lo general les convienen más otros
tratamientos.

## La evaluación de candidatura

Puede reservar una *evaluación de candidatura para Discseel* en cualquiera de las dos sedes. El
médico revisa su historia clínica y lo examina, repasa su resonancia (traiga las imágenes y el
informe si los tiene) y le explica si tiene sentido el procedimiento, otro tratamiento o más
pruebas. También es el momento de hablar de la evidencia, de la recuperación esperada y del
costo, ya que la cobertura de los seguros varía.
""",
        "faq": [
            (
                "¿El procedimiento Discseel es una cirugía?",
                "No. Es una inyección ambulatoria a través de una aguja, guiada con rayos X, y no "
                "se extrae ningún tejido.",
            ),
            (
                "¿Cuándo me sentiré mejor?",
                "El cambio suele ser gradual, a lo largo de varias semanas o de unos meses. Su "
                "médico le dará un plan de actividad para ese tiempo.",
            ),
            (
                "¿Lo cubre el seguro?",
                "La cobertura varía según el plan y a menudo es limitada. Nuestro equipo puede "
                "ayudarle a consultarlo antes de que decida.",
            ),
        ],
    },
    "radiofrequency-ablation-and-spinal-cord-stimulation": {
        "title": (
            "Ablación por radiofrecuencia y estimulación de la médula espinal para el dolor de "
            "larga duración"
        ),
        "summary": (
            "Cuando el dolor de espalda o de pierna dura meses a pesar de otros tratamientos, dos "
            "tratamientos mínimamente invasivos pueden ayudar: la ablación por radiofrecuencia "
            "apaga pequeños nervios que transmiten el dolor de las articulaciones, y la "
            "estimulación de la médula espinal cambia la manera en que las señales de dolor "
            "llegan al cerebro."
        ),
        "takeaways": [
            "La ablación por radiofrecuencia (ARF) trata el dolor de las pequeñas articulaciones "
            "facetarias de la columna.",
            "Primero se hacen inyecciones de prueba (bloqueos nerviosos) para ver si es probable "
            "que la ARF ayude.",
            "La estimulación de la médula espinal se prueba durante una semana más o menos antes "
            "de un implante permanente.",
            "Las dos buscan reducir el dolor y mejorar la actividad; ninguna cura el cambio de "
            "fondo.",
        ],
        "body": """
## Ablación por radiofrecuencia

Las articulaciones facetarias unen las vértebras en la parte de atrás de la columna. Cuando
están desgastadas o inflamadas pueden causar un dolor sordo de espalda que a veces se extiende
al glúteo. Ese dolor lo transmiten unos nervios pequeños llamados *ramos mediales*.

- **Primero, bloqueos de prueba.** Se coloca una pequeña cantidad de anestésico junto a esos
  nervios. Si su dolor habitual se alivia claramente durante unas horas, es probable que el
  origen sean esas articulaciones.
- **Después, la ablación.** Guiado por rayos X, el médico usa una aguja especial que calienta
  el nervio con energía de radiofrecuencia para que deje de transmitir las señales de dolor. Es
  un procedimiento ambulatorio.
- **Resultados.** El alivio suele durar de 6 a 12 meses o más. Con el tiempo los nervios vuelven
  a crecer y el tratamiento se puede repetir.

La ARF no trata el dolor de raíz nerviosa causado por un disco, por eso no es la primera opción
para la ciática.

## Estimulación de la médula espinal

Un estimulador de la médula espinal envía impulsos eléctricos suaves a la médula a través de
unos cables finos (electrodos) colocados en el espacio epidural. Los impulsos cambian la manera
en que se procesan las señales de dolor; los aparatos modernos a menudo funcionan sin que se
sienta hormigueo.

- **Para quién puede ser:** personas con dolor de pierna o de espalda de larga duración, por
  ejemplo dolor que persiste después de una cirugía de columna, que ya han probado otros
  tratamientos.
- **Primero, una prueba:** se colocan electrodos temporales con agujas y se conectan a una
  batería externa durante unos 5 a 7 días. Usted anota cuánto cambian su dolor y su actividad.
- **El implante:** si la prueba ayuda lo suficiente (a menudo, al menos la mitad del dolor), se
  coloca una pequeña batería debajo de la piel en un procedimiento corto.

## Cuál puede convenir

Los dos tratamientos responden a problemas distintos. Un dolor sordo de espalda que viene de las
articulaciones facetarias y mejora claramente con los bloqueos de prueba apunta hacia la
ablación por radiofrecuencia. El dolor de pierna quemante o punzante que dura meses, sobre todo
después de una cirugía, es donde se habla con más frecuencia de la estimulación de la médula
espinal. A algunas personas no les conviene ninguno de los dos y les va mejor con otros
cuidados.

Antes de cualquiera de los dos tratamientos, el equipo se asegura de que no haya una causa grave
que necesite otra atención. Una evaluación psicológica es un paso habitual antes de la prueba de
un estimulador, porque el dolor de larga duración afecta el sueño, el ánimo y la manera de
sobrellevarlo, y todo eso influye en cuánto puede ayudar el aparato.
""",
        "faq": [
            (
                "¿Duele la ablación por radiofrecuencia?",
                "Primero se adormecen la piel y los tejidos. Algunas personas tienen molestias "
                "durante una o dos semanas después, mientras la zona tratada se calma.",
            ),
            (
                "¿Me pueden hacer una resonancia si tengo un estimulador de la médula espinal?",
                "Muchos sistemas actuales permiten la resonancia en condiciones específicas. "
                "Siempre avise al equipo de resonancia que tiene un estimulador y lleve la "
                "tarjeta de su aparato.",
            ),
        ],
    },
    "surgical-options-for-l5-s1": {
        "title": "Opciones quirúrgicas para los problemas del disco y los nervios L5-S1",
        "summary": (
            "La mayoría de las personas con dolor de los nervios L5-S1 nunca necesita cirugía. Se "
            "considera cuando el dolor o la debilidad persisten a pesar de un buen tratamiento "
            "conservador, cuando la debilidad es importante o empeora, y de urgencia en el "
            "síndrome de cauda equina. Nuestros médicos lo derivan a un cirujano de columna "
            "cuando la cirugía es el paso adecuado."
        ),
        "takeaways": [
            "La cirugía es para síntomas persistentes, intensos o que empeoran, no solo por lo que "
            "muestre una imagen.",
            "La microdiscectomía extrae el fragmento de disco que presiona el nervio.",
            "La descompresión (laminectomía) da más espacio a los nervios en un canal estrecho.",
            "La fusión une vértebras y se reserva para la inestabilidad o algunas deformidades.",
            "El síndrome de cauda equina se trata con cirugía de urgencia.",
        ],
        "body": """
## Cuándo se considera la cirugía

- Dolor de pierna por una raíz nerviosa que sigue siendo incapacitante después de unas 6 a 12
  semanas de un buen tratamiento conservador.
- Debilidad importante o que empeora, como un pie caído que avanza.
- El síndrome de cauda equina, que necesita cirugía de urgencia, por lo general en cuestión de
  horas.

Un disco abultado en una imagen, sin síntomas que correspondan, no es un motivo para operar.

## Discectomía mínimamente invasiva

En una microdiscectomía, el cirujano trabaja a través de una incisión pequeña, con un
microscopio o un endoscopio, para extraer el trozo de disco que presiona el nervio. El dolor de
la pierna suele mejorar pronto. La mayoría de las personas vuelve a casa el mismo día o al día
siguiente y retoma las actividades ligeras en pocas semanas. En una minoría de personas el disco
puede volver a herniarse en el mismo nivel.

## Descompresión

Cuando el canal o las aberturas de los nervios se estrechan por espolones óseos, ligamentos
engrosados y un disco abultado (estenosis), una laminectomía o una foraminotomía retira parte
del hueso o del ligamento para dar más espacio a los nervios.

## Fusión de la columna

La fusión une dos o más vértebras con injerto de hueso y, por lo general, tornillos y barras,
para que ese segmento deje de moverse. Se considera cuando una vértebra se ha deslizado
(espondilolistesis), cuando un segmento es inestable o en algunas deformidades, más que para una
hernia simple. La recuperación es más larga que después de una discectomía.

## Cómo funciona la derivación

Nuestros médicos no operan: cuando la cirugía es razonable, lo derivan a un cirujano de columna,
le envían su historial y siguen con su atención no quirúrgica antes y después.
""",
        "faq": [
            (
                "¿La cirugía me quitará el dolor de espalda además del de la pierna?",
                "La discectomía es sobre todo para el dolor de pierna causado por un nervio "
                "comprimido, y es el que más suele mejorar. El dolor de espalda puede mejorar de "
                "forma menos predecible.",
            ),
            (
                "¿Es arriesgado esperar para operarse?",
                "Para la mayoría de las personas con síntomas estables, probar primero el "
                "tratamiento conservador es seguro. Una debilidad que empeora o las señales de "
                "alarma cambian eso y necesitan una revisión pronto.",
            ),
        ],
    },
    "l4-l5-vs-l5-s1": {
        "title": (
            "L4-L5 o L5-S1: en qué se parecen y se diferencian los problemas de los dos discos "
            "más bajos"
        ),
        "summary": (
            "Los dos discos más bajos de la columna, L4-L5 y L5-S1, son los que más esfuerzo "
            "soportan y donde ocurren la mayoría de los problemas de disco de la zona lumbar. El "
            "nervio afectado depende del nivel y de hacia dónde se abulta el disco."
        ),
        "takeaways": [
            "L4-L5 y L5-S1 son los niveles más frecuentes de las hernias y del desgaste de los "
            "discos.",
            "Una hernia L4-L5 suele irritar la raíz L5; una hernia L5-S1, la raíz S1.",
            "Un disco que se abulta hacia un lado puede afectar en cambio a la raíz de arriba.",
            "Las opciones de tratamiento son en gran parte las mismas para los dos niveles.",
        ],
        "body": """
## Dos niveles muy exigidos

El disco L4-L5 está entre la cuarta y la quinta vértebra lumbar; el disco L5-S1, entre la quinta
vértebra lumbar y el sacro. Juntos soportan la mayor parte de los movimientos de flexión y
giro de la zona lumbar, por eso se desgastan y se hernian con más frecuencia que los discos
de más arriba.

## Qué nervio se afecta

Una hernia típica se abulta hacia atrás y hacia un lado, y presiona la raíz nerviosa que va de
camino a salir un nivel más abajo:

- **Hernia L4-L5:** por lo general afecta la raíz **L5**, con dolor que baja por la parte de
  fuera de la pierna hasta el empeine y posible debilidad para levantar el pie.
- **Hernia L5-S1:** por lo general afecta la raíz **S1**, con dolor hacia la pantorrilla y la
  planta del pie y posible debilidad para ponerse de puntillas.

Una hernia situada muy hacia el lado (foraminal) atrapa en cambio la raíz que sale en ese mismo
nivel, por ejemplo la L4 desde un disco L4-L5, y da dolor en la parte de delante del muslo y la
rodilla.

## Desgaste y estenosis

El desgaste en cualquiera de los dos niveles puede estrechar los espacios alrededor de los
nervios y causar dolor en las piernas al estar de pie o al caminar, que se alivia al sentarse o
al inclinarse hacia delante. En L4-L5 es más frecuente que una vértebra se deslice hacia delante
(espondilolistesis degenerativa).

## Qué significa para el tratamiento

El nivel importa para planear una inyección o una operación, pero el enfoque general es el
mismo: primero tratamiento conservador para la mayoría de las personas, inyecciones u opciones
mínimamente invasivas cuando la recuperación se detiene, y cirugía para los síntomas
persistentes, intensos o que empeoran.
""",
        "faq": [
            (
                "¿Pueden estar dañados los dos discos a la vez?",
                "Sí. El desgaste suele afectar a discos vecinos, y la imagen se compara con sus "
                "síntomas para ver cuál está causando el problema.",
            ),
            (
                "¿Un nivel es más grave que el otro?",
                "No como regla general. Importan más cuánto está comprimido el nervio y cómo se "
                "encuentra usted que el nivel en sí.",
            ),
        ],
    },
}
