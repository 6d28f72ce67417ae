/**
 * The demo's two drafts of a national cybersecurity strategy, in Markdown: an English
 * draft and its Spanish counterpart. They are fictional but realistic, so every feature
 * (sections, comments, consultation, exports) has real text to work on.
 */

export const DRAFT_EN_TITLE = 'National Cybersecurity Strategy 2027–2031 — draft'
export const DRAFT_ES_TITLE = 'Estrategia Nacional de Ciberseguridad 2027–2031 — borrador'

export const DRAFT_EN = `# National Cybersecurity Strategy 2027–2031

*Draft for stakeholder review, version 0.3. Prepared by the Secretariat at the Ministry of ICT with the National CERT. Every section is open for comment; the Secretariat will answer each comment in the open.*

## Introduction

More than eight in ten residents now reach at least one public service online, and small businesses sell, pay and keep their books on digital platforms. The same networks carry the country's electricity dispatch, hospital records and payment systems. In the last three years, ransomware has stopped the services of two regional hospitals and a municipal water utility, and fraud by phone and instant messaging has become the offence residents report most often.

The first national strategy (2019–2023) created the National CERT and a cybercrime unit in the Public Prosecutor's Office. Its review found three gaps: responsibilities between institutions were unclear, civil society and the private sector took part only at the end, and no indicator measured whether people were actually safer. This strategy is drafted differently. Government, civil society, academia, the private sector and the technical community write it together, and a public consultation opens before it is adopted.

This draft follows the [OECD Recommendation on Digital Security Risk Management](https://legalinstruments.oecd.org/en/instruments/OECD-LEGAL-0415) and the [ITU Guide to Developing a National Cybersecurity Strategy](https://www.itu.int/pub/D-STR-CYB_GUIDE.01-2021).

## 1. Vision

By 2031, people, businesses and public institutions use digital technologies with confidence: rights are protected online as they are offline, essential services withstand incidents and recover quickly, and every sector takes its share of responsibility for security.

## 2. Guiding principles

- **Human rights and the rule of law.** Every measure is set out in law, necessary and proportionate, and subject to independent oversight. Security never serves as a pretext for surveillance of journalists, activists or political opponents.
- **Shared responsibility.** Government leads, but operators of essential services, technology providers, academia, civil society and individuals each have a part, and the strategy says which.
- **A risk-based approach.** Resources go where the harm to people and essential services would be greatest.
- **Transparency and participation.** The strategy is drafted, implemented and reviewed in the open, with a public record of who took part and how each comment was answered.
- **Inclusion and gender equality.** Measures reach rural areas, older people, people with disabilities and women, who face particular forms of online harm.
- **International cooperation.** Incidents and crimes cross borders; so must prevention and response.

## 3. Strategic objectives

1. Establish clear governance, with one coordinating body, defined institutional roles and a stable budget.
2. Raise the resilience of critical infrastructure and essential services.
3. Detect, respond to and recover from incidents faster, nationally and sector by sector.
4. Prevent and prosecute cybercrime while guaranteeing due process and victims' access to justice.
5. Build the skills, awareness and research the country needs, with at least as many women as men in new training places.
6. Contribute to a free, open and secure cyberspace through regional and international cooperation.

## 4. Action lines

### 4.1 Governance and coordination

The review of the first strategy found that no institution could require another to act. A National Cybersecurity Council will coordinate the strategy, with a technical secretariat at the Ministry of ICT.

- Adopt a decree establishing the Council, its members and its rules of procedure within six months of adoption.
- Give each stakeholder group two seats on the Council, with members chosen by the groups themselves.
- Publish an annual action plan with responsible bodies, deadlines and budget lines.
- Map the responsibilities of every institution with a security role and publish the map.

### 4.2 Critical infrastructure and essential services

Operators of electricity, water, health, finance, transport and telecommunications services will be designated as operators of essential services and held to minimum security requirements.

- Define the criteria for designating essential services, in consultation with operators and sector regulators.
- Set baseline security requirements and a duty to report significant incidents within 24 hours.
- Run a national exercise every year, and sector exercises in between, including municipal utilities.
- Support small operators, such as rural cooperatives and municipal utilities, with free assessments and shared services.

### 4.3 Incident response and the National CERT

The National CERT will become the single point of contact for incidents, with sector teams for finance, health and energy.

1. Give the CERT a legal mandate, an independent budget line and staff able to work around the clock.
2. Create sector response teams, starting with health in 2027.
3. Open a public channel for residents and small businesses to report incidents and fraud, with a reply within two working days.
4. Publish an annual report on the incidents handled and the lessons learned.

> "When the hospital's systems went down, nobody knew whom to call first. We need one number and a plan that has been tested." — contribution from a regional health authority, drafting workshop, March 2026

### 4.4 Cybercrime and access to justice

- Align criminal law with the Budapest Convention on Cybercrime, with the safeguards of its Article 15.
- Train prosecutors, judges and police in digital evidence, with a module on gender-based online violence.
- Create a victim support service for online fraud and harassment, working with civil society organisations.
- Publish annual statistics on reported cybercrimes, investigations and convictions.

### 4.5 Skills, awareness and research

The country has an estimated shortage of 4,000 security professionals. Universities, technical institutes and employers will expand training together.

- Fund 1,500 training places a year in cybersecurity, half of them reserved for women.
- Add digital safety to the secondary school curriculum by 2028.
- Run national awareness campaigns on fraud, passwords and updates, in every official language.
- Create a research fund for cybersecurity open to universities and partnerships with companies.

### 4.6 International cooperation

- Take part in regional CERT networks and share threat information under agreed rules.
- Support confidence-building measures in cyberspace within regional organisations.
- Offer and receive capacity building with neighbouring countries.

## 5. Governance and implementation

The National Cybersecurity Council approves the annual action plan, follows the indicators in section 6 and reports to Parliament every year. Its meetings are minuted and the minutes are published. A mid-term review in 2029 is open to public consultation, like this draft. Each institution finances its measures from its own budget, with a dedicated budget line for the Council and the National CERT.

## 6. Indicators and monitoring

The Council publishes progress on each indicator every year. Baselines are from 2026 unless noted.

| Objective | Indicator | Baseline | Target 2031 | Source |
| --- | --- | --- | --- | --- |
| 1. Governance | Annual action plan published on time | No plan | Every year | Council |
| 2. Critical infrastructure | Essential service operators meeting the baseline requirements | Not measured | 90% | Sector regulators |
| 3. Incident response | Median time from report to first response by the CERT | 3 days | 4 hours | National CERT |
| 4. Cybercrime | Reported online frauds that lead to an investigation | 12% | 40% | Public Prosecutor's Office |
| 5. Skills | People trained each year in cybersecurity (share of women) | 400 (22%) | 1,500 (50%) | Ministry of Education |
| 6. Cooperation | Regional exercises the CERT takes part in each year | 1 | 4 | National CERT |

*Questions for the consultation: Are these the right indicators? Which baselines should civil society or academia help measure?*
`

export const DRAFT_ES = `# Estrategia Nacional de Ciberseguridad 2027–2031

*Borrador para la revisión de los grupos de interés, versión 0.3. Elaborado por la Secretaría del Ministerio de TIC con el CERT Nacional. Todas las secciones están abiertas a comentarios; la Secretaría responderá cada comentario de forma pública.*

## Introducción

Más de ocho de cada diez habitantes acceden ya en línea a al menos un servicio público, y las pequeñas empresas venden, cobran y llevan su contabilidad en plataformas digitales. Las mismas redes transportan el despacho eléctrico, las historias clínicas y los sistemas de pago del país. En los últimos tres años, el *ransomware* paralizó los servicios de dos hospitales regionales y de una empresa municipal de agua, y el fraude por teléfono y mensajería instantánea se ha convertido en el delito que más denuncian los habitantes.

La primera estrategia nacional (2019–2023) creó el CERT Nacional y una unidad de ciberdelito en la Fiscalía. Su evaluación encontró tres carencias: las responsabilidades entre instituciones no estaban claras, la sociedad civil y el sector privado participaron solo al final, y ningún indicador medía si las personas estaban realmente más seguras. Esta estrategia se redacta de otra manera. El gobierno, la sociedad civil, la academia, el sector privado y la comunidad técnica la escriben juntos, y antes de su adopción se abre una consulta pública.

Este borrador sigue la [Recomendación de la OCDE sobre la gestión del riesgo de seguridad digital](https://legalinstruments.oecd.org/en/instruments/OECD-LEGAL-0415) y la [Guía de la UIT para la elaboración de una estrategia nacional de ciberseguridad](https://www.itu.int/pub/D-STR-CYB_GUIDE.01-2021).

## 1. Visión

En 2031, las personas, las empresas y las instituciones públicas usan las tecnologías digitales con confianza: los derechos se protegen en línea igual que fuera de ella, los servicios esenciales resisten los incidentes y se recuperan con rapidez, y cada sector asume su parte de responsabilidad en la seguridad.

## 2. Principios rectores

- **Derechos humanos y Estado de derecho.** Toda medida está prevista en la ley, es necesaria y proporcionada, y está sujeta a supervisión independiente. La seguridad nunca sirve de pretexto para vigilar a periodistas, activistas u opositores políticos.
- **Responsabilidad compartida.** El gobierno lidera, pero los operadores de servicios esenciales, los proveedores de tecnología, la academia, la sociedad civil y las personas tienen cada uno su papel, y la estrategia dice cuál.
- **Enfoque basado en riesgos.** Los recursos van adonde el daño para las personas y los servicios esenciales sería mayor.
- **Transparencia y participación.** La estrategia se redacta, se ejecuta y se evalúa de forma abierta, con un registro público de quién participó y de cómo se respondió cada comentario.
- **Inclusión e igualdad de género.** Las medidas llegan a las zonas rurales, a las personas mayores, a las personas con discapacidad y a las mujeres, que sufren formas específicas de violencia en línea.
- **Cooperación internacional.** Los incidentes y los delitos cruzan fronteras; la prevención y la respuesta también deben hacerlo.

## 3. Objetivos estratégicos

1. Establecer una gobernanza clara, con un órgano coordinador, funciones institucionales definidas y un presupuesto estable.
2. Aumentar la resiliencia de las infraestructuras críticas y de los servicios esenciales.
3. Detectar los incidentes, responder a ellos y recuperarse más rápido, a escala nacional y sector por sector.
4. Prevenir y perseguir el ciberdelito garantizando el debido proceso y el acceso de las víctimas a la justicia.
5. Desarrollar las competencias, la sensibilización y la investigación que el país necesita, con al menos tantas mujeres como hombres en las nuevas plazas de formación.
6. Contribuir a un ciberespacio libre, abierto y seguro mediante la cooperación regional e internacional.

## 4. Líneas de acción

### 4.1 Gobernanza y coordinación

La evaluación de la primera estrategia constató que ninguna institución podía exigir a otra que actuara. Un Consejo Nacional de Ciberseguridad coordinará la estrategia, con una secretaría técnica en el Ministerio de TIC.

- Adoptar un decreto que cree el Consejo, defina sus miembros y su reglamento en los seis meses siguientes a la adopción.
- Dar a cada grupo de interés dos puestos en el Consejo, con miembros elegidos por los propios grupos.
- Publicar un plan de acción anual con organismos responsables, plazos y partidas presupuestarias.
- Mapear las responsabilidades de cada institución con funciones de seguridad y publicar el mapa.

### 4.2 Infraestructuras críticas y servicios esenciales

Los operadores de electricidad, agua, salud, finanzas, transporte y telecomunicaciones serán designados operadores de servicios esenciales y deberán cumplir requisitos mínimos de seguridad.

- Definir los criterios de designación de los servicios esenciales, en consulta con los operadores y los reguladores sectoriales.
- Fijar requisitos básicos de seguridad y la obligación de notificar los incidentes significativos en 24 horas.
- Realizar un ejercicio nacional cada año y ejercicios sectoriales entre medias, incluidas las empresas municipales.
- Apoyar a los pequeños operadores, como las cooperativas rurales y las empresas municipales, con evaluaciones gratuitas y servicios compartidos.

### 4.3 Respuesta a incidentes y CERT Nacional

El CERT Nacional será el punto único de contacto para los incidentes, con equipos sectoriales para finanzas, salud y energía.

1. Dar al CERT un mandato legal, una partida presupuestaria propia y personal capaz de trabajar las 24 horas.
2. Crear equipos sectoriales de respuesta, empezando por el de salud en 2027.
3. Abrir un canal público para que los habitantes y las pequeñas empresas notifiquen incidentes y fraudes, con respuesta en dos días hábiles.
4. Publicar un informe anual sobre los incidentes atendidos y las lecciones aprendidas.

> «Cuando cayeron los sistemas del hospital, nadie sabía a quién llamar primero. Necesitamos un solo número y un plan que se haya probado.» — aporte de una autoridad sanitaria regional, taller de redacción, marzo de 2026

### 4.4 Ciberdelito y acceso a la justicia

- Armonizar el derecho penal con el Convenio de Budapest sobre la Ciberdelincuencia, con las salvaguardias de su artículo 15.
- Formar a fiscales, jueces y policías en evidencia digital, con un módulo sobre violencia de género en línea.
- Crear un servicio de apoyo a las víctimas de fraude y acoso en línea, en colaboración con organizaciones de la sociedad civil.
- Publicar estadísticas anuales de ciberdelitos denunciados, investigaciones y condenas.

### 4.5 Competencias, sensibilización e investigación

Se estima que al país le faltan 4.000 profesionales de la seguridad. Las universidades, los institutos técnicos y los empleadores ampliarán juntos la formación.

- Financiar 1.500 plazas de formación al año en ciberseguridad, la mitad reservadas a mujeres.
- Incluir la seguridad digital en el plan de estudios de secundaria antes de 2028.
- Realizar campañas nacionales de sensibilización sobre fraude, contraseñas y actualizaciones, en todas las lenguas oficiales.
- Crear un fondo de investigación en ciberseguridad abierto a universidades y a alianzas con empresas.

### 4.6 Cooperación internacional

- Participar en las redes regionales de CERT y compartir información sobre amenazas según reglas acordadas.
- Apoyar las medidas de fomento de la confianza en el ciberespacio en las organizaciones regionales.
- Ofrecer y recibir creación de capacidades con los países vecinos.

## 5. Gobernanza y ejecución

El Consejo Nacional de Ciberseguridad aprueba el plan de acción anual, sigue los indicadores de la sección 6 e informa cada año al Parlamento. Sus reuniones constan en actas, que se publican. Una revisión intermedia en 2029 se somete a consulta pública, como este borrador. Cada institución financia sus medidas con su propio presupuesto, con una partida específica para el Consejo y el CERT Nacional.

## 6. Indicadores y seguimiento

El Consejo publica cada año los avances de cada indicador. Las líneas de base son de 2026 salvo que se indique otra cosa.

| Objetivo | Indicador | Línea de base | Meta 2031 | Fuente |
| --- | --- | --- | --- | --- |
| 1. Gobernanza | Plan de acción anual publicado a tiempo | Sin plan | Todos los años | Consejo |
| 2. Infraestructuras críticas | Operadores de servicios esenciales que cumplen los requisitos básicos | No medido | 90 % | Reguladores sectoriales |
| 3. Respuesta a incidentes | Mediana del tiempo entre la notificación y la primera respuesta del CERT | 3 días | 4 horas | CERT Nacional |
| 4. Ciberdelito | Fraudes en línea denunciados que dan lugar a una investigación | 12 % | 40 % | Fiscalía |
| 5. Competencias | Personas formadas al año en ciberseguridad (proporción de mujeres) | 400 (22 %) | 1.500 (50 %) | Ministerio de Educación |
| 6. Cooperación | Ejercicios regionales en los que participa el CERT cada año | 1 | 4 | CERT Nacional |

*Preguntas para la consulta: ¿Son estos los indicadores adecuados? ¿Qué líneas de base deberían ayudar a medir la sociedad civil o la academia?*
`
