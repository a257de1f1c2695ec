// The unrolled chain as a Streamlit component (ui/chain.py): chain.js mounted in the component's
// element; a click on a cell is sent back as the "inspect" state, with an id of its own
// (ui/clicks.py says why not a trigger).
export default function (component) {
  const { parentElement, data, setStateValue } = component;
  window.lstmChain.mount(parentElement.querySelector(".lstm-chain-root"), data,
                         cell => setStateValue("inspect", {...cell, id: `${Date.now()}-${Math.random()}`}));
}
