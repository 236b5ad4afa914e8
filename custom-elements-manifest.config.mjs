// Custom Elements Manifest analyzer config: `cem analyze` reads the widget's
// TypeScript sources and their JSDoc (@summary, @fires, @cssprop, @csspart,
// @slot) and writes custom-elements.json at the package root, which editors,
// Storybook and docs tools pick up through package.json "customElements".
export default {
  globs: ['widget/**/*.ts'],
  // Internal: controllers and views are parts of the element, not API.
  exclude: ['widget/client/**', 'widget/controllers/**', 'widget/views/**', 'widget/**/*.test.ts', 'widget/**/*.d.ts'],
  outdir: '.',
  litelement: true,
  dev: false,
  plugins: [resolveTagConstants(), litStaticState(), dropDispatcherEvents()],
};

/**
 * Lit's `static properties = { draft: { state: true } }` declares internal
 * reactive state, not attributes, but the analyzer lists it as attributes.
 * Remember those names per class and take them out of `attributes`.
 */
function litStaticState() {
  const stateFields = new Map(); // class name -> Set(field names)
  return {
    name: 'lit-static-state',
    analyzePhase({ ts, node }) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      for (const member of node.members) {
        const isStatic = member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
        if (!isStatic || !ts.isPropertyDeclaration(member) || member.name.getText() !== 'properties') continue;
        if (!member.initializer || !ts.isObjectLiteralExpression(member.initializer)) continue;
        for (const prop of member.initializer.properties) {
          if (!ts.isPropertyAssignment(prop) || !ts.isObjectLiteralExpression(prop.initializer)) continue;
          const internal = prop.initializer.properties.some(
            (option) =>
              ts.isPropertyAssignment(option) &&
              ((option.name.getText() === 'state' && option.initializer.kind === ts.SyntaxKind.TrueKeyword) ||
                (option.name.getText() === 'attribute' && option.initializer.kind === ts.SyntaxKind.FalseKeyword)),
          );
          if (!internal) continue;
          if (!stateFields.has(node.name.text)) stateFields.set(node.name.text, new Set());
          stateFields.get(node.name.text).add(prop.name.getText().replace(/^['"]|['"]$/g, ''));
        }
      }
    },
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          const fields = stateFields.get(declaration.name);
          if (!fields || !declaration.attributes) continue;
          declaration.attributes = declaration.attributes.filter(
            (attribute) => !fields.has(attribute.fieldName ?? attribute.name),
          );
        }
      }
    },
  };
}

/**
 * A generic `dispatchEvent(new CustomEvent(type, …))` helper shows up as an
 * event literally named after the variable ("type"). The real events are the
 * documented `@fires` ones, all with a hyphen: keep undocumented ones only if
 * they look like event names.
 */
function dropDispatcherEvents() {
  return {
    name: 'drop-dispatcher-events',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          if (!declaration.events) continue;
          declaration.events = declaration.events.filter((event) => event.description || event.name?.includes('-'));
        }
      }
    },
  };
}

/**
 * `customElements.define(TAG, ChatRoom)` with `const TAG = 'chat-room'` makes
 * the analyzer record the tag as "TAG". Remember string constants while
 * analyzing, then put the real tag name on the definition and on its class.
 */
function resolveTagConstants() {
  const constants = new Map(); // module path -> Map(name -> string value)
  return {
    name: 'resolve-tag-constants',
    analyzePhase({ ts, node, moduleDoc }) {
      if (
        ts.isVariableDeclaration(node) &&
        ts.isIdentifier(node.name) &&
        node.initializer &&
        ts.isStringLiteralLike(node.initializer)
      ) {
        if (!constants.has(moduleDoc.path)) constants.set(moduleDoc.path, new Map());
        constants.get(moduleDoc.path).set(node.name.text, node.initializer.text);
      }
    },
    packageLinkPhase({ customElementsManifest }) {
      const classes = new Map();
      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          if (declaration.customElement) classes.set(declaration.name, declaration);
        }
      }
      for (const mod of customElementsManifest.modules) {
        for (const exp of mod.exports ?? []) {
          if (exp.kind !== 'custom-element-definition' || exp.name.includes('-')) continue;
          const tag = constants.get(mod.path)?.get(exp.name) ?? classes.get(exp.declaration?.name)?.tagName;
          if (!tag || !tag.includes('-')) continue;
          const constant = exp.name;
          exp.name = tag;
          const element = classes.get(exp.declaration?.name);
          if (element && (!element.tagName || element.tagName === constant)) element.tagName = tag;
          // The constant itself is an implementation detail, not API.
          mod.declarations = (mod.declarations ?? []).filter(
            (d) => !(d.kind === 'variable' && d.name === constant),
          );
        }
      }
    },
  };
}
