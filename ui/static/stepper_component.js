// The stepper's controls as a Streamlit component (ui/step_sync.py): stepper.js, which the HTML
// export also runs as a plain script, mounted in the component's element. A clicked heatmap cell
// is the "inspect" state, with an id of its own (ui/clicks.py says why not a trigger).
export default function (component) {
  const { parentElement, data, setStateValue } = component;
  window.lstmStepper.mount(parentElement.querySelector(".lstm-stepper-root"), data,
                           (name, value) => setStateValue(name, value),
                           cell => setStateValue("inspect", {...cell, id: `${Date.now()}-${Math.random()}`}));
}
