import type { Node } from 'prosemirror-model'
import type { DocumentTemplate } from '../../shared/api/documents'
import { assignSectionIds, schema } from '../../shared/schema'
import { parseMarkdown } from '../render/markdown'

/** The languages templates are written in; other process languages get English. */
type TemplateLanguage = 'en' | 'es'

// The outline most national cybersecurity strategies share (ITU National Cybersecurity
// Strategy Guide; OECD digital security recommendations): vision, principles, objectives,
// action lines, governance, indicators. Italic notes tell drafters what each part needs.
const NATIONAL_STRATEGY: Record<TemplateLanguage, string> = {
  en: `*This outline follows the structure most national cybersecurity strategies share. Replace each note in italics with the text the drafting group agrees on, and comment on any section.*

## 1. Vision

*In two or three sentences: what residents, businesses and public institutions can expect of the country's digital environment at the end of the strategy's term.*

## 2. Guiding principles

*The values every action line must respect. For example:*

- **Human rights and the rule of law**: *security measures are lawful, necessary and proportionate.*
- **Shared responsibility**: *government, businesses, academia, civil society and individuals each have a part.*
- **Risk-based approach**: *efforts go where the risk to people and essential services is greatest.*
- **Transparency and participation**: *the strategy is drafted, implemented and reviewed in the open.*
- **International cooperation**: *cyberspace has no borders; neither can its defence.*

## 3. Strategic objectives

*Three to six objectives, each measurable by at least one indicator in section 6.*

1. *Objective 1*
2. *Objective 2*
3. *Objective 3*

## 4. Action lines

*For each action line: the measures, the body responsible, the partners, the timeline and the budget.*

### 4.1 Governance and institutional capacity

### 4.2 Protection of critical infrastructure and essential services

### 4.3 Incident response and the national CSIRT

### 4.4 Cybercrime and access to justice

### 4.5 Skills, awareness and research

### 4.6 International cooperation

## 5. Governance and implementation

*Who leads and who coordinates; how each stakeholder group takes part; how often progress is reported and the strategy reviewed.*

## 6. Indicators and monitoring

| Objective | Indicator | Baseline | Target | Source |
| --- | --- | --- | --- | --- |
| 1 |  |  |  |  |
| 2 |  |  |  |  |
| 3 |  |  |  |  |
`,
  es: `*Este esquema sigue la estructura que comparten la mayoría de las estrategias nacionales de ciberseguridad. Sustituya cada nota en cursiva por el texto que acuerde el grupo de redacción y comente cualquier sección.*

## 1. Visión

*En dos o tres frases: qué pueden esperar los habitantes, las empresas y las instituciones públicas del entorno digital del país al final del periodo de la estrategia.*

## 2. Principios rectores

*Los valores que toda línea de acción debe respetar. Por ejemplo:*

- **Derechos humanos y Estado de derecho**: *las medidas de seguridad son legales, necesarias y proporcionadas.*
- **Responsabilidad compartida**: *el gobierno, las empresas, la academia, la sociedad civil y las personas tienen cada uno su papel.*
- **Enfoque basado en riesgos**: *los esfuerzos se dirigen adonde el riesgo para las personas y los servicios esenciales es mayor.*
- **Transparencia y participación**: *la estrategia se redacta, se ejecuta y se evalúa de forma abierta.*
- **Cooperación internacional**: *el ciberespacio no tiene fronteras; su defensa tampoco puede tenerlas.*

## 3. Objetivos estratégicos

*Entre tres y seis objetivos, cada uno medible con al menos un indicador de la sección 6.*

1. *Objetivo 1*
2. *Objetivo 2*
3. *Objetivo 3*

## 4. Líneas de acción

*Para cada línea de acción: las medidas, el organismo responsable, los socios, el calendario y el presupuesto.*

### 4.1 Gobernanza y capacidad institucional

### 4.2 Protección de infraestructuras críticas y servicios esenciales

### 4.3 Respuesta a incidentes y CSIRT nacional

### 4.4 Ciberdelito y acceso a la justicia

### 4.5 Competencias, sensibilización e investigación

### 4.6 Cooperación internacional

## 5. Gobernanza y ejecución

*Quién dirige y quién coordina; cómo participa cada grupo de interés; con qué frecuencia se informa de los avances y se revisa la estrategia.*

## 6. Indicadores y seguimiento

| Objetivo | Indicador | Línea de base | Meta | Fuente |
| --- | --- | --- | --- | --- |
| 1 |  |  |  |  |
| 2 |  |  |  |  |
| 3 |  |  |  |  |
`,
}

/**
 * The initial content of a document made from `template`: a level-1 heading with the
 * document's title, then the template's outline in `language` (Spanish for `es`, English
 * otherwise). Every heading has a fresh section id.
 */
export function documentFromTemplate(
  template: DocumentTemplate,
  title: string,
  language: string,
): Node {
  const outline = parseMarkdown(NATIONAL_STRATEGY[language === 'es' ? 'es' : 'en'])
  // The title is built as a node, not as Markdown, so characters such as * stay literal.
  const heading = schema.nodes.heading.create(
    { level: 1 },
    title.length > 0 ? schema.text(title) : null,
  )
  switch (template) {
    case 'national-strategy':
      return assignSectionIds(schema.topNodeType.create(null, [heading, ...childrenOf(outline)]))
  }
}

function childrenOf(node: Node): Node[] {
  const children: Node[] = []
  node.forEach((child) => children.push(child))
  return children
}
